import Testing
import VigilTestSupport
import VigilExposition

@Suite("Float parsing")
struct FloatParsingTests {
    /// Random decimal literals must parse to exactly what Swift's correctly rounded
    /// `Double(String)` gives (and so what Go's `ParseFloat` gives).
    @Test func randomDecimalsRoundTripExactly() throws {
        var random = SplitMix64(seed: 7)
        var lines = ""
        var expected: [Double] = []
        for _ in 0..<5000 {
            let digitCount = Int(random.next() % 25) + 1
            var digits = ""
            for _ in 0..<digitCount { digits.append(Character(Unicode.Scalar(UInt8(48 + random.next() % 10)))) }
            let point = Int(random.next() % UInt64(digitCount + 1))
            var literal = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if literal == "." { literal = "0" }
            if random.next() % 2 == 0 { literal += "e\(Int(random.next() % 640) - 330)" }
            if random.next() % 3 == 0 { literal = "-" + literal }
            guard let value = Double(literal), value.isFinite else { continue }
            lines += "m \(literal)\n"
            expected.append(value)
        }
        let entries = try parse(lines, .text)
        try #require(entries.count == expected.count)
        for (entry, value) in zip(entries, expected) {
            guard case .series(_, _, let parsed, _, _) = entry else { continue }
            #expect(parsed.bitPattern == value.bitPattern, "\(value) parsed as \(parsed)")
        }
    }

    @Test func shortestRepresentationsOfRandomDoublesRoundTrip() throws {
        var random = SplitMix64(seed: 11)
        var lines = ""
        var expected: [Double] = []
        for _ in 0..<5000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else { continue }
            lines += "m \(value)\n"
            expected.append(value)
        }
        let entries = try parse(lines, .text)
        for (entry, value) in zip(entries, expected) {
            guard case .series(_, _, let parsed, _, _) = entry else { continue }
            #expect(parsed.bitPattern == value.bitPattern)
        }
    }
}
