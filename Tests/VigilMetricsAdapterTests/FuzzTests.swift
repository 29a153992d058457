import Testing
import VigilConfig
@testable import VigilMetricsAdapter
import VigilPromQL
import VigilTemplate
import VigilTestSupport

/// Random and mutated input: every parser fails with its typed error, never crashes or hangs.
struct FuzzTests {
    private static let alphabet: [Character] = Array(":-[]{}<>.$|&*!'\"#\n \t,()=~^+_0123456789abcxyzSeriesGroupBy\\ÿ\u{0}")

    private func mutate(_ text: String, _ random: inout SplitMix64) -> String {
        var characters = Array(text)
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            let at = Int.random(in: 0...characters.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0: characters.insert(Self.alphabet.randomElement(using: &random)!, at: at)
            case 1: if at < characters.count { characters.remove(at: at) }
            case 2: if at < characters.count { characters[at] = Self.alphabet.randomElement(using: &random)! }
            default:
                let length = Int.random(in: 0...20, using: &random)
                let start = Int.random(in: 0...characters.count, using: &random)
                characters.insert(contentsOf: characters[start..<min(characters.count, start + length)], at: at)
            }
        }
        return String(characters)
    }

    @Test func mutatedConfigsLoadOrFailWithAPosition() async {
        await offTheCooperativePool { checkMutatedConfigsLoadOrFailWithAPosition() }
    }

    private func checkMutatedConfigsLoadOrFailWithAPosition() {
        var random = SplitMix64(seed: 8)
        var rejected = 0
        for _ in 0..<1500 {
            let text = mutate(WalkthroughConfig.yaml, &random)
            do {
                let config = try AdapterConfig.parse(yaml: text, fileName: "a.yaml")
                // Whatever loads must compile into an adapter.
                _ = try? MetricsAdapter(config: config, series: { _, _, _ in [] }, query: { _, _ in .vector([]) })
            } catch {
                rejected += 1
                #expect(error.line >= 0 && error.column >= 0)
                #expect(!error.message.isEmpty)
            }
        }
        #expect(rejected > 0)
    }

    @Test func mutatedTemplatesRenderOrFail() {
        let seeds = [
            "sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)",
            "<<- range $i, $l := .GroupBySlice >><<if $i>>,<<end>><<$l>><<- end>>",
            "<<with .LabelValuesByName>><<index . \"pod\">><<else>>none<<end>>",
        ]
        var random = SplitMix64(seed: 9)
        var rendered = 0
        var rejected = 0
        for index in 0..<3000 {
            let text = mutate(seeds[index % seeds.count], &random)
            guard let template = try? MetricsQueryTemplate(text) else {
                rejected += 1
                continue
            }
            let arguments = MetricsQueryTemplate.Arguments(
                series: "s", labelMatchers: #"pod="a""#, labelValuesByName: ["pod": "a"], groupBy: "pod", groupBySlice: ["pod"])
            if (try? template.render(arguments)) != nil { rendered += 1 } else { rejected += 1 }
        }
        #expect(rendered > 0)
        #expect(rejected > 0)
    }

    @Test func randomLabelSelectors() {
        var random = SplitMix64(seed: 10)
        var parsed = 0
        for _ in 0..<5000 {
            let length = Int.random(in: 0...24, using: &random)
            let text = String((0..<length).map { _ in Self.alphabet.randomElement(using: &random)! })
            if let selector = try? LabelSelector(parsing: text) {
                parsed += 1
                // What parses prints back to something that parses to the same requirements.
                #expect((try? LabelSelector(parsing: selector.description)) == selector)
            }
        }
        #expect(parsed > 0)
    }
}
