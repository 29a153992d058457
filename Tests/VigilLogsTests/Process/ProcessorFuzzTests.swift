import Foundation
import Testing
import VigilConfig
import VigilModel
import VigilTestSupport
@testable import VigilLogs

/// Random bytes and mutated fixture lines through every parser, the timestamp formats and the
/// multiline rules: each must return fields or a typed error, never crash or hang, and a chain
/// must keep every line (a parse failure marks it, never drops it).
@Suite struct ProcessorFuzzTests {
    static let parsers: [(String, any LineFieldParser)] = [
        ("json", JSONFieldParser()), ("logfmt", LogfmtFieldParser()),
        ("regex", RegexFieldParser(regex: try! ProcessorRegex(#"^(?P<a>\S+) (?P<b>[a-z]+)=(?P<c>\d*)"#))),
        ("nginx", NginxFieldParser(format: .combined)), ("ingress", NginxFieldParser(format: .ingress)),
        ("audit", AuditEventParser()),
    ]

    static func seeds() throws -> [[UInt8]] {
        var lines: [String] = []
        for fixture in ["parsers/nginx-combined.log", "parsers/ingress-nginx.log", "parsers/audit.log", "multiline/java.log"] {
            lines += try ProcessingFixtures.lines(fixture)
        }
        lines += [#"level=info msg="a \"b\"" n=1"#, #"{"a":{"b":[1,{"c":null}]},"d":"\u00e9"}"#]
        return lines.map { Array($0.utf8) }
    }

    static func mutate(_ line: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = line
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0 where !bytes.isEmpty: bytes.remove(at: position)
            case 1: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
            case 2 where !bytes.isEmpty: bytes[position] = Array(#"{}[]":=\ ,-"#.utf8).randomElement(using: &random)!
            case 3: bytes = Array(bytes.prefix(position))
            default:
                let cut = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
                bytes.insert(contentsOf: bytes[cut...].prefix(20), at: position)
            }
        }
        return bytes
    }

    @Test func parsersSurviveMutatedAndRandomLines() throws {
        var random = SplitMix64(seed: 0x10C5)
        let seeds = try Self.seeds()
        var parsed = 0
        var failed = 0
        for round in 0..<4000 {
            let line: [UInt8]
            if round % 4 == 0 {
                line = (0..<Int.random(in: 0...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                line = Self.mutate(seeds.randomElement(using: &random)!, &random)
            }
            for (_, parser) in Self.parsers {
                do {
                    _ = try parser.fields(of: line)
                    parsed += 1
                } catch {
                    #expect(!error.kind.isEmpty)
                    failed += 1
                }
            }
        }
        // Both outcomes occur: the mutations reach past the first byte of each syntax.
        #expect(parsed > 100)
        #expect(failed > 100)
    }

    @Test func deeplyNestedJSONIsRejectedOrFlattenedWithoutOverflow() {
        let deep = Array((String(repeating: #"{"a":"#, count: 5000) + "1" + String(repeating: "}", count: 5000)).utf8)
        #expect(throws: LineParseError.self) { try JSONFieldParser().fields(of: deep) }
        let nested = Array((String(repeating: #"{"a":"#, count: 40) + "1" + String(repeating: "}", count: 40)).utf8)
        let fields = try? JSONFieldParser().fields(of: nested)
        #expect(fields?.count == 1)
    }

    @Test func timestampFormatsSurviveRandomText() throws {
        var random = SplitMix64(seed: 77)
        let formats = try ["rfc3339", "unix", "unix_ms", "unix_ns", "%Y-%m-%dT%H:%M:%S.%f%z", "%b %e %H:%M:%S", "%j %%"]
            .map { TimestampParser(format: try LogProcessorConfig.timestampFormat($0)) }
        let alphabet = Array("0123456789-:.TZ+ %abcNovJan".utf8)
        var accepted = 0
        for _ in 0..<5000 {
            let text = String(decoding: (0..<Int.random(in: 0...30, using: &random)).map { _ in alphabet.randomElement(using: &random)! }, as: UTF8.self)
            for format in formats where format.parse(text) != nil { accepted += 1 }
        }
        #expect(TimestampParser.decimal("99999999999999999999", scale: 1_000_000_000) == nil)
        #expect(accepted > 0)
    }

    @Test func chainsKeepEveryLineOfRandomInput() throws {
        var random = SplitMix64(seed: 4242)
        let chain = try ProcessingFixtures.chain("""
            - {type: multiline, rule: java, max_lines: 5}
            - {type: json}
            - {type: logfmt}
            - {type: nginx}
            - {type: redact, pattern: '\\d+', replacement: 'N'}
            """)
        let seeds = try Self.seeds()
        var lines: [String] = []
        for _ in 0..<1000 {
            lines.append(String(decoding: Self.mutate(seeds.randomElement(using: &random)!, &random), as: UTF8.self)
                .replacingOccurrences(of: "\n", with: " "))
        }
        let out = ProcessingFixtures.run(lines, chain)
        let joined = out.map(\.text).joined(separator: "\n")
        let expected = lines.joined(separator: "\n").replacing(try Regex(#"\d+"#).matchingSemantics(.unicodeScalar), with: "N")
        #expect(joined == expected)
    }
}
