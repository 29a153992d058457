#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-wise (UTF-8) string order: Go's string comparison, the order Prometheus sorts label names,
/// values and symbols in.
///
/// `String`'s own `<` compares by Unicode canonical equivalence, and the generic
/// `utf8.lexicographicallyPrecedes` walks one byte at a time; sorting hundreds of thousands of
/// label values needs a `memcmp` over the contiguous UTF-8 of both strings.
public enum ByteOrder {
    /// Whether `lhs` sorts before `rhs` byte-wise.
    public static func less(_ lhs: String, _ rhs: String) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Negative, zero or positive as `lhs` sorts before, equal to or after `rhs` byte-wise.
    public static func compare(_ lhs: String, _ rhs: String) -> Int {
        let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                compare(UnsafeRawBufferPointer(left), UnsafeRawBufferPointer(right))
            }
        }
        if let fast, let result = fast { return result }
        if lhs.utf8.elementsEqual(rhs.utf8) { return 0 }
        return lhs.utf8.lexicographicallyPrecedes(rhs.utf8) ? -1 : 1
    }

    /// Whether the UTF-8 of `value` begins with the UTF-8 of `prefix` (bytes, not Unicode
    /// equivalence: Go's `strings.HasPrefix`).
    public static func hasPrefix(_ value: String, _ prefix: String) -> Bool {
        let fast = value.utf8.withContiguousStorageIfAvailable { whole in
            prefix.utf8.withContiguousStorageIfAvailable { start in
                start.count <= whole.count
                    && (start.isEmpty || memcmp(whole.baseAddress!, start.baseAddress!, start.count) == 0)
            }
        }
        if let fast, let result = fast { return result }
        return value.utf8.starts(with: prefix.utf8)
    }

    /// Byte-wise comparison of two buffers; a prefix sorts first.
    public static func compare(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
        let common = Swift.min(lhs.count, rhs.count)
        if common > 0 {
            let result = memcmp(lhs.baseAddress!, rhs.baseAddress!, common)
            if result != 0 { return Int(result) }
        }
        return lhs.count - rhs.count
    }
}

extension ByteOrder {
    /// The union of byte-sorted, duplicate-free lists, byte-sorted and duplicate-free: a k-way
    /// merge, so the lists' order is used rather than sorting again. One non-empty list is
    /// returned as it is.
    public static func mergeSorted(_ lists: [[String]]) -> [String] {
        let lists = lists.filter { !$0.isEmpty }
        if lists.count <= 1 { return lists.first ?? [] }
        var positions = [Int](repeating: 0, count: lists.count)
        var result: [String] = []
        result.reserveCapacity(lists.map(\.count).max() ?? 0)
        while true {
            var smallest: Int? = nil
            for index in lists.indices where positions[index] < lists[index].count {
                if let current = smallest {
                    if compare(lists[index][positions[index]], lists[current][positions[current]]) < 0 { smallest = index }
                } else {
                    smallest = index
                }
            }
            guard let chosen = smallest else { return result }
            let value = lists[chosen][positions[chosen]]
            result.append(value)
            for index in lists.indices where positions[index] < lists[index].count && compare(lists[index][positions[index]], value) == 0 {
                positions[index] += 1
            }
        }
    }
}
