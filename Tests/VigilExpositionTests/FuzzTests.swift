import Testing
import VigilTestSupport
import VigilExposition

/// Random and mutated inputs must never crash or hang either parser. Every `next()` either
/// consumes input, finishes or throws, so the entry count is bounded by the input length.
@Suite("Parser fuzzing")
struct FuzzTests {
    private static let alphabet = Array("ab_:0123456789 \t\n{}=,\"\\#.+-eEInfaN HELP TYPE UNIT EOF le quantile _total _bucket".utf8)
        + [0x00, 0xC3, 0xA9, 0xFF, 0x0D]

    /// Parses and returns whether the input was accepted; records an issue if it does not terminate.
    @discardableResult
    private func run(_ bytes: [UInt8], _ format: ExpositionFormat) -> Bool {
        bytes.withUnsafeBytes { buffer -> Bool in
            func drain<P: ExpositionParser>(_ parser: inout P) -> Bool {
                var steps = 0
                do {
                    while let entry = try parser.next() {
                        steps += 1
                        if steps > buffer.count + 2 {
                            Issue.record("parser did not make progress")
                            return false
                        }
                        if entry == .series {
                            _ = parser.labels()
                            _ = parser.exemplar()
                            _ = parser.series.count
                        } else if entry == .help {
                            _ = parser.helpText()
                        }
                    }
                    return true
                } catch {
                    #expect(error.line >= 1 && error.column >= 1)
                    return false
                }
            }
            switch format {
            case .text:
                var parser = TextParser(bytes: buffer)
                return drain(&parser)
            case .openMetrics:
                var parser = OpenMetricsParser(bytes: buffer)
                return drain(&parser)
            }
        }
    }

    @Test(arguments: [ExpositionFormat.text, .openMetrics])
    func randomBytes(format: ExpositionFormat) {
        var random = SplitMix64(seed: format == .text ? 1 : 2)
        for _ in 0..<5000 {
            let length = Int(random.next() % 120)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                if random.next() % 8 == 0 {
                    bytes.append(UInt8(truncatingIfNeeded: random.next()))
                } else {
                    bytes.append(FuzzTests.alphabet[Int(random.next() % UInt64(FuzzTests.alphabet.count))])
                }
            }
            run(bytes, format)
        }
    }

    @Test(arguments: [ExpositionFormat.text, .openMetrics])
    func mutationsOfValidPayloads(format: ExpositionFormat) async {
        await offTheCooperativePool { checkMutationsOfValidPayloads(format: format) }
    }

    private func checkMutationsOfValidPayloads(format: ExpositionFormat) {
        let seeds: [[UInt8]] = [
            nodeExporterPayload(series: 40, format: format),
            Array((format == .text
                ? "# HELP a x\\ny\n# TYPE a histogram\na_bucket{le=\"1\"} 1 1000\na_bucket{le=\"+Inf\"} 2\na_sum 3\na_count 2\n"
                : "# TYPE a histogram\n# HELP a x\na_bucket{le=\"1\"} 1 # {t=\"x\"} 1 1.5\na_bucket{le=\"+Inf\"} 2\na_sum 3\na_count 2\n# TYPE c counter\nc_total 1 2.5 # {a=\"b\"} 3\n# EOF\n").utf8),
        ]
        for seed in seeds { #expect(run(seed, format), "the unmutated payload must parse") }
        var random = SplitMix64(seed: format == .text ? 3 : 4)
        var accepted = 0
        for iteration in 0..<4000 {
            var bytes = seeds[iteration % seeds.count]
            let mutations = Int(random.next() % 4) + 1
            for _ in 0..<mutations where !bytes.isEmpty {
                let position = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 5 {
                case 0: bytes[position] ^= UInt8(1 << (random.next() % 8))
                case 1: bytes.insert(FuzzTests.alphabet[Int(random.next() % UInt64(FuzzTests.alphabet.count))], at: position)
                case 2: bytes.remove(at: position)
                case 3: bytes.removeSubrange(position...)
                default: bytes[position] = FuzzTests.alphabet[Int(random.next() % UInt64(FuzzTests.alphabet.count))]
                }
            }
            if run(bytes, format) { accepted += 1 }
        }
        // Some mutations (inside help text or label values) keep the payload valid.
        #expect(accepted > 0)
    }
}
