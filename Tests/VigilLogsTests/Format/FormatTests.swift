import Testing
import VigilConfig
@testable import VigilLogs

@Suite struct FormatTests {
    func parseTime(_ text: String) -> Int64? {
        Array(text.utf8).withUnsafeBytes { RFC3339Nano.parse($0) }
    }

    @Test func parsesRFC3339NanoTimestamps() {
        #expect(parseTime("2016-10-06T00:17:09.669794202Z") == 1_475_713_029_669_794_202)
        #expect(parseTime("2016-10-06T00:17:09Z") == 1_475_713_029_000_000_000)
        #expect(parseTime("2016-10-06T02:17:09.5+02:00") == 1_475_713_029_500_000_000)
        #expect(parseTime("2016-10-06 00:17:09Z") == nil)
        #expect(parseTime("2016-02-30T00:00:00Z") == nil)
        #expect(parseTime("2016-10-06T00:17:09.Z") == nil)
        #expect(parseTime("") == nil)
    }

    func assemble(_ lines: [String], format: FileInputConfig.Format, maxLineSize: Int = 1024) -> ([LogRecord], LineAssembler) {
        var assembler = LineAssembler(format: format, maxLineSize: maxLineSize)
        var records: [LogRecord] = []
        for line in lines {
            Array(line.utf8).withUnsafeBytes { assembler.take($0, now: 7, into: &records) }
        }
        return (records, assembler)
    }

    @Test func joinsCRIPartialsPerStream() {
        let (records, assembler) = assemble(
            [
                "2016-10-06T00:17:09.669794202Z stdout P hello ",
                "2016-10-06T00:17:09.700000000Z stderr F oops",
                "2016-10-06T00:17:09.800000000Z stdout P big ",
                "2016-10-06T00:17:10.000000000Z stdout F world",
                "2016-10-06T00:17:11Z stdout F:x ",
                "2016-10-06T00:17:12Z stdout F",
            ], format: .cri)
        let texts = records.map { String(decoding: $0.line, as: UTF8.self) }
        #expect(texts == ["oops", "hello big world", "", ""])
        #expect(records.map(\.stream) == [.stderr, .stdout, .stdout, .stdout])
        #expect(records[1].timestamp == 1_475_713_029_669_794_202)
        #expect(assembler.isEmpty)
        #expect(assembler.parseErrors == 0)
    }

    @Test func passesMalformedLinesOnRawAndCountsThem() {
        let (records, assembler) = assemble(["not a cri line", "2016-10-06T00:17:09Z stdin F x", "2016-10-06T00:17:09Z stdout X y"], format: .cri)
        let texts = records.map { String(decoding: $0.line, as: UTF8.self) }
        #expect(texts == ["not a cri line", "2016-10-06T00:17:09Z stdin F x", "2016-10-06T00:17:09Z stdout X y"])
        let stamps = records.map(\.timestamp)
        #expect(stamps == [7, 7, 7])
        #expect(assembler.parseErrors == 3)
    }

    @Test func holdsAPartialUntilItsEnd() {
        let (records, assembler) = assemble(["2016-10-06T00:17:09Z stdout P open"], format: .cri)
        #expect(records.isEmpty)
        #expect(!assembler.isEmpty)
    }

    @Test func cutsJoinedLinesAtTheLimit() {
        let piece = String(repeating: "y", count: 600)
        let (records, assembler) = assemble(
            [
                "2016-10-06T00:17:09Z stdout P \(piece)", "2016-10-06T00:17:09Z stdout P \(piece)",
                "2016-10-06T00:17:09Z stdout F tail", "2016-10-06T00:17:09Z stdout F next",
            ], format: .cri)
        #expect(records.map(\.line.count) == [1024, 4])
        #expect(assembler.truncated == 1)
        #expect(assembler.isEmpty)
    }

    @Test func joinsDockerSplitLines() {
        let (records, assembler) = assemble(
            [
                #"{"log":"part one ","stream":"stdout","time":"2016-10-06T00:17:09.669794202Z"}"#,
                #"{"log":"err\n","stream":"stderr","time":"2016-10-06T00:17:09Z"}"#,
                #"{"log":"and two \"q\" \u00e9\ud83d\ude00\n","stream":"stdout","time":"2016-10-06T00:17:10Z","attrs":{"a":[1,true,null]}}"#,
            ], format: .docker)
        let texts = records.map { String(decoding: $0.line, as: UTF8.self) }
        #expect(texts == ["err", "part one and two \"q\" é😀"])
        #expect(records.map(\.stream) == [.stderr, .stdout])
        #expect(records[1].timestamp == 1_475_713_029_669_794_202)
        #expect(assembler.parseErrors == 0)
    }

    @Test func rejectsMalformedDockerLines() {
        for line in [#"{"log":"x"#, #"{"log":1}"#, #"["log"]"#, #"{"stream":"stdout"}"#, #"{"log":"a\q"}"#, #"{"log":"x"} trailing"#] {
            let parsed = Array(line.utf8).withUnsafeBytes { DockerJSONParser.parse($0) }
            #expect(parsed == nil, "\(line)")
        }
    }

    /// Random bytes and mutations of valid lines never crash the parsers.
    @Test func fuzzedInputNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        let seeds = [
            "2016-10-06T00:17:09.669794202Z stdout P hello",
            #"{"log":"a\n","stream":"stderr","time":"2016-10-06T00:17:09Z","attrs":{"k":[1,{"x":"\ud83d\ude00"}]}}"#,
        ].map { Array($0.utf8) }
        var parsed = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                bytes = seeds[round % 4 / 2]
                for _ in 0..<Int.random(in: 1...6, using: &generator) where !bytes.isEmpty {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                    case 1: bytes.remove(at: index)
                    default: bytes.insert(bytes[index], at: index)
                    }
                }
            }
            for format in [FileInputConfig.Format.cri, .docker] {
                var assembler = LineAssembler(format: format, maxLineSize: 64)
                var records: [LogRecord] = []
                bytes.withUnsafeBytes { assembler.take($0, now: 0, into: &records) }
                parsed += records.count
                let longest = records.map(\.line.count).max() ?? 0
                #expect(longest <= max(64, bytes.count))
            }
        }
        #expect(parsed > 0)
    }
}
