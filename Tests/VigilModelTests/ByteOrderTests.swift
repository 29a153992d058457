import Testing
import VigilModel
import VigilTestSupport

@Suite("Byte order")
struct ByteOrderTests {
    /// Strings mixing ASCII, multi-byte scalars, prefixes and the empty string.
    static func randomStrings(count: Int, seed: UInt64) -> [String] {
        var generator = SplitMix64(seed: seed)
        let alphabet: [String] = ["a", "b", "z", "A", "0", "_", "é", "ß", "日", "\u{1F600}", "e\u{301}", "\u{7f}", " "]
        return (0..<count).map { _ in
            let length = Int.random(in: 0...6, using: &generator)
            return (0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined()
        }
    }

    @Test("compare agrees with a byte-by-byte walk of the UTF-8")
    func agreesWithGenericOrder() {
        let strings = Self.randomStrings(count: 300, seed: 7)
        for lhs in strings {
            for rhs in strings.prefix(60) {
                let expected = lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
                let less = ByteOrder.less(lhs, rhs)
                let sign = ByteOrder.compare(lhs, rhs).signum()
                let expectedSign = Array(lhs.utf8) == Array(rhs.utf8) ? 0 : (expected ? -1 : 1)
                #expect(less == expected, "\(lhs) < \(rhs)")
                #expect(sign == expectedSign, "\(lhs) <=> \(rhs)")
            }
        }
    }

    @Test("byte order differs from String's Unicode order where Go's does")
    func notCanonicalOrder() {
        // U+00E9 (é, C3 A9) sorts after "e" + U+0301 (65 CC 81) byte-wise.
        #expect(ByteOrder.less("e\u{301}", "\u{e9}"))
        #expect(!ByteOrder.less("\u{e9}", "e\u{301}"))
        #expect(ByteOrder.less("", "a"))
        #expect(ByteOrder.less("ab", "abc"))
        #expect(ByteOrder.compare("abc", "abc") == 0)
    }

    @Test("mergeSorted equals the sorted union of its lists")
    func mergeSortedIsUnion() {
        for seed in 0..<40 as Range<UInt64> {
            var generator = SplitMix64(seed: seed)
            let pool = Self.randomStrings(count: 50, seed: seed &+ 100)
            let listCount = Int.random(in: 0...4, using: &generator)
            // Distinct by bytes, as Go's strings are: "é" and "e\u{301}" are two values.
            func distinct(_ values: some Sequence<String>) -> [String] {
                var seen = Set<[UInt8]>()
                return values.filter { seen.insert(Array($0.utf8)).inserted }.sorted(by: ByteOrder.less)
            }
            let lists = (0..<listCount).map { _ in distinct(pool.filter { _ in Bool.random(using: &generator) }) }
            let expected = distinct(lists.joined()).map { Array($0.utf8) }
            let merged = ByteOrder.mergeSorted(lists).map { Array($0.utf8) }
            #expect(merged == expected, "seed \(seed)")
        }
    }
}
