import Testing
import VigilTestSupport
import VigilConfig

/// Thousands of mutated configurations: each must load or fail with a `ConfigError`, never crash.
struct FuzzTests {
    private static let alphabet: [Character] = Array(":-[]{}&*!|>'\"#\n \t<<,?%@`~0123456789abcxyz_.$\\()^+ÿ\u{0}")

    private func mutate(_ lines: [Substring], _ random: inout SplitMix64) -> String {
        var lines = lines.map(String.init)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            guard !lines.isEmpty else { break }
            let line = Int.random(in: 0..<lines.count, using: &random)
            switch Int.random(in: 0..<8, using: &random) {
            case 0:
                lines.remove(at: line)
            case 1:
                lines.insert(lines[line], at: Int.random(in: 0...lines.count, using: &random))
            case 2:
                lines[line] = " " + lines[line]
            case 3:
                lines[line] = String(lines[line].drop(while: { $0 == " " }))
            case 4:
                var characters = Array(lines[line])
                let at = Int.random(in: 0...characters.count, using: &random)
                characters.insert(Self.alphabet.randomElement(using: &random)!, at: at)
                lines[line] = String(characters)
            case 5:
                var characters = Array(lines[line])
                if !characters.isEmpty { characters.remove(at: Int.random(in: 0..<characters.count, using: &random)) }
                lines[line] = String(characters)
            case 6:
                let other = Int.random(in: 0..<lines.count, using: &random)
                lines.swapAt(line, other)
            default:
                lines = Array(lines.prefix(line))
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test(arguments: ["full.yml", "kubernetes.yml"])
    func mutatedConfigsNeverCrash(fixture: String) async throws {
        try await offTheCooperativePool { try checkMutatedConfigsNeverCrash(fixture: fixture) }
    }

    private func checkMutatedConfigsNeverCrash(fixture: String) throws {
        let lines = try Fixtures.text(fixture).split(separator: "\n", omittingEmptySubsequences: false)
        var random = SplitMix64(seed: fixture == "full.yml" ? 1 : 2)
        var loaded = 0
        var rejected = 0
        for _ in 0..<1500 {
            let text = mutate(lines, &random)
            do {
                _ = try PrometheusConfig.parse(yaml: text)
                loaded += 1
            } catch {
                rejected += 1
                #expect(error.line >= 0 && error.column >= 0)
                #expect(!error.message.isEmpty)
            }
        }
        #expect(loaded + rejected == 1500)
        #expect(rejected > 0)
    }

    @Test func randomBytesNeverCrash() {
        var random = SplitMix64(seed: 3)
        for _ in 0..<1000 {
            let count = Int.random(in: 0..<200, using: &random)
            let text = String((0..<count).map { _ in Self.alphabet.randomElement(using: &random)! })
            _ = try? PrometheusConfig.parse(yaml: text)
        }
    }

    @Test func randomRegexesNeverCrash() async {
        await offTheCooperativePool { checkRandomRegexesNeverCrash() }
    }

    private func checkRandomRegexesNeverCrash() {
        var random = SplitMix64(seed: 4)
        let pieces = ["(", ")", "[", "]", "a", "*", "+", "?", "{2}", "{,", "|", "\\d", "\\", "^", "$", "(?:", "(?P<n>", ".", "-", "\\p{L}"]
        for _ in 0..<2000 {
            let pattern = (0..<Int.random(in: 0..<8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let yaml = "scrape_configs:\n  - job_name: j\n    relabel_configs:\n      - regex: '\(pattern.replacingQuote())'\n        action: keep\n"
            _ = try? PrometheusConfig.parse(yaml: yaml)
        }
    }
}

extension String {
    fileprivate func replacingQuote() -> String {
        var result = ""
        for character in self {
            result += character == "'" ? "''" : String(character)
        }
        return result
    }
}
