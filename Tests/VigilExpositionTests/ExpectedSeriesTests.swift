import Testing
import VigilExposition
import VigilModel
import VigilTestSupport

/// `TextParser.next(expecting:)`: a line whose series is the expected one skips the label parse,
/// and must read exactly what a full parse reads; any other line is parsed in full.
@Suite("Expected series")
struct ExpectedSeriesTests {
    /// Series keys in the order `bytes` exposes them (it must parse).
    private func keys(_ bytes: [UInt8]) throws -> [[UInt8]] {
        try bytes.withUnsafeBytes { buffer throws(ExpositionError) -> [[UInt8]] in
            var parser = TextParser(bytes: buffer)
            var keys: [[UInt8]] = []
            while let entry = try parser.next() {
                if entry == .series { keys.append(Array(parser.series)) }
            }
            return keys
        }
    }

    /// Parses `bytes` telling the parser to expect `expectation(n)` as the n-th series; returns the
    /// entries (as a full parse materialises them) and how many lines matched, or the error.
    private func parseExpecting(
        _ bytes: [UInt8], _ expectation: (Int) -> [UInt8]?
    ) -> (Result<[Parsed], ExpositionError>, matched: Int) {
        bytes.withUnsafeBytes { buffer in
            var parser = TextParser(bytes: buffer)
            var result: [Parsed] = []
            var matched = 0
            var seriesIndex = 0
            do throws(ExpositionError) {
                while true {
                    let entry: ExpositionEntry?
                    if let expected = expectation(seriesIndex) {
                        entry = try expected.withUnsafeBytes { key in
                            Result { () throws(ExpositionError) in try parser.next(expecting: key) }
                        }.get()
                    } else {
                        entry = try parser.next()
                    }
                    guard let entry else { break }
                    if entry == .series {
                        if parser.matchedExpected {
                            matched += 1
                            #expect(Array(parser.series) == expectation(seriesIndex))
                        }
                        seriesIndex += 1
                    }
                    result.append(materialise(entry, parser))
                }
                return (.success(result), matched)
            } catch {
                return (.failure(error), matched)
            }
        }
    }

    private static let tricky = """
        # HELP a Help with \\\\ and \\n.
        # TYPE a gauge
        a 1
        a{x="1"} 2 1000
        a {x="2"}  3
        a{x="esc \\" \\\\ \\n }{,"} 4
        a{x="1",} 5
        a{ x = "3" , y="4" } 6
        ab 7
        a\t8
        a{x="1"}\t9\t2000
        b{le="+Inf",quantile="0.5"} NaN

        c_total{path="/a b"} +Inf

        """

    @Test func matchedLinesReadWhatAFullParseReads() throws {
        let seeds = [nodeExporterPayload(series: 300), Array(Self.tricky.utf8)]
        for seed in seeds {
            let seedKeys = try keys(seed)
            let (result, matched) = parseExpecting(seed) { index in index < seedKeys.count ? seedKeys[index] : nil }
            #expect(try result.get() == parse(seed, .text))
            #expect(matched == seedKeys.count, "every line of an unchanged exposition matches")
        }
    }

    @Test func linesThatOnlyResembleTheExpectedSeriesAreParsedInFull() throws {
        let cases: [(expected: String, line: String)] = [
            ("a", "a {x=\"1\"} 1\n"),  // a label set after blanks
            ("a", "ab 1\n"),  // a longer name
            ("a{x=\"1\"}", "a{x=\"1\"}1\n"),  // no blank before the value
            ("a{x=\"1\"}", "a{x=\"1\",y=\"2\"} 1\n"),  // more labels
            ("a{x=\"1\"}", "a{x=\"12\"} 1\n"),
            ("a", "a\n"),  // no value: an error either way
        ]
        for (expected, line) in cases {
            let bytes = Array(line.utf8)
            let (result, matched) = parseExpecting(bytes) { _ in Array(expected.utf8) }
            #expect(matched == 0, "\(line) must not match \(expected)")
            switch (result, Result { () throws(ExpositionError) in try parse(bytes, .text) }) {
            case (.success(let got), .success(let want)): #expect(got == want)
            case (.failure(let got), .failure(let want)): #expect(got == want)
            default: Issue.record("\(line): the expecting parse and the full parse disagree")
            }
        }
    }

    @Test func labelPairsOfAMatchedLineAreRead() throws {
        let bytes = Array("m{b=\"\",a=\"x\\\"y\"} 1\n".utf8)
        let key = try keys(bytes)[0]
        bytes.withUnsafeBytes { buffer in
            key.withUnsafeBytes { expected in
                var parser = TextParser(bytes: buffer)
                #expect((try? parser.next(expecting: expected)) == .series)
                #expect(parser.matchedExpected)
                #expect(parser.labelPairs() == [Label(name: "b", value: ""), Label(name: "a", value: "x\"y")])
                #expect(parser.labels() == ["__name__": "m", "a": "x\"y"])
            }
        }
    }

    /// Mutated expositions read with the unmutated one's series as expectations (a target whose
    /// output changed since the last scrape) give what a full parse gives, error or entries.
    @Test func mutatedExpositionsAgreeWithAFullParse() async {
        await offTheCooperativePool { checkMutatedExpositions() }
    }

    private func checkMutatedExpositions() {
        let seeds = [nodeExporterPayload(series: 40), Array(Self.tricky.utf8)]
        let alphabet = Array("ab_:01 \t\n{}=,\"\\#.+-eE".utf8)
        var random = SplitMix64(seed: 11)
        var matchedTotal = 0
        for iteration in 0..<3000 {
            let seed = seeds[iteration % seeds.count]
            guard let seedKeys = try? keys(seed) else {
                Issue.record("seed must parse")
                return
            }
            var bytes = seed
            for _ in 0..<(Int(random.next() % 3) + 1) where !bytes.isEmpty {
                let position = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 4 {
                case 0: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                case 1: bytes.remove(at: position)
                case 2: bytes[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                default: bytes.insert(contentsOf: Array("zz 1\n".utf8), at: position)
                }
            }
            let shift = Int(random.next() % 3)  // lines added or lost before this one
            let (result, matched) = parseExpecting(bytes) { index in
                let at = index + shift - 1
                return at >= 0 && at < seedKeys.count ? seedKeys[at] : nil
            }
            matchedTotal += matched
            switch (result, Result { () throws(ExpositionError) in try parse(bytes, .text) }) {
            case (.success(let got), .success(let want)):
                #expect(got == want, "iteration \(iteration)")
            case (.failure(let got), .failure(let want)):
                #expect(got == want, "iteration \(iteration)")
            default:
                Issue.record("iteration \(iteration): the expecting parse and the full parse disagree")
            }
        }
        #expect(matchedTotal > 1000)
    }
}
