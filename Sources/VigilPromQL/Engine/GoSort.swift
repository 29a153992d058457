/// Orderings that reproduce Go's `sort.Sort` results exactly.
///
/// `sort.Sort` is not stable, but it is deterministic: Go's pattern-defeating quicksort (Go 1.19
/// and later) orders equal elements the same way every time for the same input. Prometheus's
/// `sort`, `sort_desc` and `topk`/`bottomk` output inherit that order, so Vigil runs the same
/// algorithm step for step (`src/sort/zsortinterface.go`) rather than any other correct sort.
enum GoSort {
    static func sort<T>(_ items: inout [T], by less: (T, T) -> Bool) {
        let n = items.count
        if n <= 1 { return }
        withoutActuallyEscaping(less) { less in
            var sorter = PDQSort(items: items, less: less)
            items = []
            sorter.pdqsort(0, n, limit: Int.bitWidth - n.leadingZeroBitCount)
            items = sorter.items
        }
    }

    /// `vectorByValueHeap.Less`: NaN first, then ascending.
    @inline(__always)
    static func valueLess(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN { return true }
        return a < b
    }

    /// `vectorByReverseValueHeap.Less`: NaN first, then descending.
    @inline(__always)
    static func reverseValueLess(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN { return true }
        return a > b
    }
}

/// Go's `container/heap` over an array, with the element order it produces.
struct GoHeap<T> {
    var items: [T]
    let less: (T, T) -> Bool

    mutating func push(_ item: T) {
        items.append(item)
        up(items.count - 1)
    }

    mutating func fix(_ index: Int) {
        if !down(index, items.count) { up(index) }
    }

    private mutating func up(_ start: Int) {
        var j = start
        while true {
            let i = (j - 1) / 2
            if i == j || j <= 0 || !less(items[j], items[i]) { break }
            items.swapAt(i, j)
            j = i
        }
    }

    @discardableResult
    private mutating func down(_ i0: Int, _ n: Int) -> Bool {
        var i = i0
        while true {
            let j1 = 2 * i + 1
            if j1 >= n || j1 < 0 { break }
            var j = j1
            let j2 = j1 + 1
            if j2 < n && less(items[j2], items[j1]) { j = j2 }
            if !less(items[j], items[i]) { break }
            items.swapAt(i, j)
            i = j
        }
        return i > i0
    }
}

/// Go's `pdqsort` over `sort.Interface` (`insertionSort`, `heapSort`, `partition`,
/// `partitionEqual`, `partialInsertionSort`, `breakPatterns`, `choosePivot`), transcribed with the
/// same comparisons and swaps so equal elements land where Go puts them.
private enum PDQHint { case unknown, increasing, decreasing }

private struct PDQSort<T> {
    var items: [T]
    let less: (T, T) -> Bool

    @inline(__always) func lt(_ i: Int, _ j: Int) -> Bool { less(items[i], items[j]) }
    @inline(__always) mutating func swap(_ i: Int, _ j: Int) { items.swapAt(i, j) }

    mutating func insertionSort(_ a: Int, _ b: Int) {
        var i = a + 1
        while i < b {
            var j = i
            while j > a && lt(j, j - 1) {
                swap(j, j - 1)
                j -= 1
            }
            i += 1
        }
    }

    mutating func siftDown(_ lo: Int, _ hi: Int, _ first: Int) {
        var root = lo
        while true {
            var child = 2 * root + 1
            if child >= hi { return }
            if child + 1 < hi && lt(first + child, first + child + 1) { child += 1 }
            if !lt(first + root, first + child) { return }
            swap(first + root, first + child)
            root = child
        }
    }

    mutating func heapSort(_ a: Int, _ b: Int) {
        let first = a, hi = b - a
        var i = (hi - 1) / 2
        while i >= 0 {
            siftDown(i, hi, first)
            i -= 1
        }
        i = hi - 1
        while i >= 0 {
            swap(first, first + i)
            siftDown(0, i, first)
            i -= 1
        }
    }

    mutating func pdqsort(_ a0: Int, _ b0: Int, limit limit0: Int) {
        var a = a0, b = b0, limit = limit0
        let maxInsertion = 12
        var wasBalanced = true, wasPartitioned = true
        while true {
            let length = b - a
            if length <= maxInsertion {
                insertionSort(a, b)
                return
            }
            if limit == 0 {
                heapSort(a, b)
                return
            }
            if !wasBalanced {
                breakPatterns(a, b)
                limit -= 1
            }
            var (pivot, hint) = choosePivot(a, b)
            if hint == .decreasing {
                reverseRange(a, b)
                pivot = (b - 1) - (pivot - a)
                hint = .increasing
            }
            if wasBalanced && wasPartitioned && hint == .increasing {
                if partialInsertionSort(a, b) { return }
            }
            if a > 0 && !lt(a - 1, pivot) {
                a = partitionEqual(a, b, pivot)
                continue
            }
            let (mid, alreadyPartitioned) = partition(a, b, pivot)
            wasPartitioned = alreadyPartitioned
            let leftLen = mid - a, rightLen = b - mid
            let balanceThreshold = length / 8
            if leftLen < rightLen {
                wasBalanced = leftLen >= balanceThreshold
                pdqsort(a, mid, limit: limit)
                a = mid + 1
            } else {
                wasBalanced = rightLen >= balanceThreshold
                pdqsort(mid + 1, b, limit: limit)
                b = mid
            }
        }
    }

    mutating func partition(_ a: Int, _ b: Int, _ pivot: Int) -> (Int, Bool) {
        swap(a, pivot)
        var i = a + 1, j = b - 1
        while i <= j && lt(i, a) { i += 1 }
        while i <= j && !lt(j, a) { j -= 1 }
        if i > j {
            swap(j, a)
            return (j, true)
        }
        swap(i, j)
        i += 1
        j -= 1
        while true {
            while i <= j && lt(i, a) { i += 1 }
            while i <= j && !lt(j, a) { j -= 1 }
            if i > j { break }
            swap(i, j)
            i += 1
            j -= 1
        }
        swap(j, a)
        return (j, false)
    }

    mutating func partitionEqual(_ a: Int, _ b: Int, _ pivot: Int) -> Int {
        swap(a, pivot)
        var i = a + 1, j = b - 1
        while true {
            while i <= j && !lt(a, i) { i += 1 }
            while i <= j && lt(a, j) { j -= 1 }
            if i > j { break }
            swap(i, j)
            i += 1
            j -= 1
        }
        return i
    }

    mutating func partialInsertionSort(_ a: Int, _ b: Int) -> Bool {
        let maxSteps = 5, shortestShifting = 50
        var i = a + 1
        for _ in 0..<maxSteps {
            while i < b && !lt(i, i - 1) { i += 1 }
            if i == b { return true }
            if b - a < shortestShifting { return false }
            swap(i, i - 1)
            if i - a >= 2 {
                var j = i - 1
                while j >= 1 {
                    if !lt(j, j - 1) { break }
                    swap(j, j - 1)
                    j -= 1
                }
            }
            if b - i >= 2 {
                var j = i + 1
                while j < b {
                    if !lt(j, j - 1) { break }
                    swap(j, j - 1)
                    j += 1
                }
            }
        }
        return false
    }

    mutating func breakPatterns(_ a: Int, _ b: Int) {
        let length = b - a
        guard length >= 8 else { return }
        var random = UInt64(length)
        let modulus = 1 << (Int.bitWidth - length.leadingZeroBitCount)
        var idx = a + (length / 4) * 2 - 1
        while idx <= a + (length / 4) * 2 + 1 {
            // Go's xorshift (sort.go).
            random ^= random << 13
            random ^= random >> 17
            random ^= random << 5
            var other = Int(truncatingIfNeeded: UInt(truncatingIfNeeded: random) & UInt(modulus - 1))
            if other >= length { other -= length }
            swap(idx, a + other)
            idx += 1
        }
    }

    mutating func choosePivot(_ a: Int, _ b: Int) -> (Int, PDQHint) {
        let shortestNinther = 50, maxSwaps = 4 * 3
        let l = b - a
        var swaps = 0
        var i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3
        if l >= 8 {
            if l >= shortestNinther {
                i = median(i - 1, i, i + 1, &swaps)
                j = median(j - 1, j, j + 1, &swaps)
                k = median(k - 1, k, k + 1, &swaps)
            }
            j = median(i, j, k, &swaps)
        }
        switch swaps {
        case 0: return (j, .increasing)
        case maxSwaps: return (j, .decreasing)
        default: return (j, .unknown)
        }
    }

    func order2(_ a: Int, _ b: Int, _ swaps: inout Int) -> (Int, Int) {
        if lt(b, a) {
            swaps += 1
            return (b, a)
        }
        return (a, b)
    }

    func median(_ a0: Int, _ b0: Int, _ c0: Int, _ swaps: inout Int) -> Int {
        var (a, b) = order2(a0, b0, &swaps)
        var c: Int
        (b, c) = order2(b, c0, &swaps)
        _ = c
        (a, b) = order2(a, b, &swaps)
        _ = a
        return b
    }

    mutating func reverseRange(_ a: Int, _ b: Int) {
        var i = a, j = b - 1
        while i < j {
            swap(i, j)
            i += 1
            j -= 1
        }
    }
}
