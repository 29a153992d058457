/// Orderings that reproduce Go's `sort.Sort` results where they are deterministic.
///
/// Go sorts fewer than 13 elements by insertion sort, which is stable; larger inputs use pdqsort,
/// whose order among equal elements Prometheus does not define either. A stable sort with the
/// same `less` gives the same order in the first case and a valid one in the second.
enum GoSort {
    static func sort<T>(_ items: inout [T], by less: (T, T) -> Bool) {
        if items.count <= 12 {
            var i = 1
            while i < items.count {
                var j = i
                while j > 0 && less(items[j], items[j - 1]) {
                    items.swapAt(j, j - 1)
                    j -= 1
                }
                i += 1
            }
            return
        }
        let sorted = items.enumerated().sorted { lhs, rhs in
            if less(lhs.element, rhs.element) { return true }
            if less(rhs.element, lhs.element) { return false }
            return lhs.offset < rhs.offset
        }
        items = sorted.map(\.element)
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
