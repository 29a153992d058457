import Testing
import VigilConfig
import VigilRules
import VigilTestSupport

@Suite("Rule files")
struct RuleFileTests {
    @Test("a valid file decodes every field")
    func decodesFields() throws {
        let file = try RuleFile.parse(
            yaml: """
                groups:
                  - name: example
                    interval: 30s
                    query_offset: 1m
                    limit: 10
                    rules:
                      - record: job:up:sum
                        expr: sum by (job) (up)
                        labels:
                          team: infra
                      - alert: InstanceDown
                        expr: up == 0
                        for: 5m
                        keep_firing_for: 10m
                        labels:
                          severity: page
                        annotations:
                          summary: "{{ $labels.instance }} is down"
                  - name: other
                    rules: []
                """, fileName: "rules.yml")
        #expect(file.groups.count == 2)
        #expect(file.ruleCount == 2)
        let group = file.groups[0]
        #expect(group.name == "example")
        #expect(group.interval == .seconds(30))
        #expect(group.queryOffset == .minutes(1))
        #expect(group.limit == 10)
        let record = group.rules[0]
        #expect(record.kind == .recording)
        #expect(record.name == "job:up:sum")
        #expect(record.labels == ["team": "infra"])
        let alert = group.rules[1]
        #expect(alert.kind == .alerting)
        #expect(alert.name == "InstanceDown")
        #expect(alert.holdDuration == .minutes(5))
        #expect(alert.keepFiringFor == .minutes(10))
        #expect(alert.annotations["summary"] == "{{ $labels.instance }} is down")
        #expect(file.groups[1].interval == nil)
        let empty = try RuleFile.parse(yaml: "", fileName: "empty.yml")
        #expect(empty.groups.isEmpty)
    }

    /// Each case: the YAML, then the expected `file:line:column: path: message`.
    static let invalid: [(String, String)] = [
        ("groups:\n  - name: a\n    rules:\n      - record: x\n        alert: y\n        expr: up\n",
         "r.yml:4:17: groups[0].rules[0].record: only one of 'record' and 'alert' must be set"),
        ("groups:\n  - name: a\n    rules:\n      - expr: up\n",
         "r.yml:4:9: groups[0].rules[0]: one of 'record' or 'alert' must be set"),
        ("groups:\n  - name: a\n    rules:\n      - record: x\n",
         "r.yml:4:9: groups[0].rules[0]: field 'expr' must be set in rule"),
        ("groups:\n  - name: a\n    rules:\n      - record: x\n        expr: sum(\n",
         "r.yml:5:15: groups[0].rules[0].expr: could not parse expression: 1:5: parse error: unclosed left parenthesis"),
        ("groups:\n  - name: a\n    rules:\n      - record: 'bad-name'\n        expr: up\n",
         "r.yml:4:17: groups[0].rules[0].record: invalid recording rule name: bad-name"),
        ("groups:\n  - name: a\n    rules:\n      - record: x\n        expr: up\n        for: 5m\n",
         "r.yml:6:14: groups[0].rules[0].for: invalid field 'for' in recording rule"),
        ("groups:\n  - name: a\n    rules:\n      - record: x\n        expr: up\n        keep_firing_for: 5m\n",
         "r.yml:6:26: groups[0].rules[0].keep_firing_for: invalid field 'keep_firing_for' in recording rule"),
        ("groups:\n  - name: a\n    rules:\n      - record: x\n        expr: up\n        annotations:\n          a: b\n",
         "r.yml:7:11: groups[0].rules[0].annotations: invalid field 'annotations' in recording rule"),
        ("groups:\n  - name: a\n    rules:\n      - alert: x\n        expr: up\n        labels:\n          'a-b': c\n",
         "r.yml:7:18: groups[0].rules[0].labels.a-b: invalid label name: a-b"),
        ("groups:\n  - name: a\n    rules:\n      - alert: x\n        expr: up\n        annotations:\n          '1a': c\n",
         "r.yml:7:17: groups[0].rules[0].annotations.1a: invalid annotation name: 1a"),
        ("groups:\n  - name: a\n    rules: []\n  - name: a\n    rules: []\n",
         "r.yml:4:11: groups[1].name: groupname: \"a\" is repeated in the same file"),
        ("groups:\n  - name: ''\n    rules: []\n",
         "r.yml:2:11: groups[0].name: Groupname must not be empty"),
        ("groups:\n  - name: a\n    interval: 5x\n    rules: []\n",
         "r.yml:3:15: groups[0].interval: unknown unit \"x\" in duration \"5x\""),
        ("groups:\n  - name: a\n    rules:\n      - alert: x\n        expr: up\n        annotations:\n          s: '{{ if }}'\n",
         "r.yml:7:14: groups[0].rules[0].annotations.s: annotation \"s\": template: __alert_x:1: missing value for if"),
    ]

    @Test("invalid files are rejected naming file:line:column", arguments: invalid.indices)
    func rejects(index: Int) {
        let (yaml, expected) = Self.invalid[index]
        let error = #expect(throws: ConfigError.self) { try RuleFile.parse(yaml: yaml, fileName: "r.yml") }
        #expect(error?.description == expected)
    }

    @Test("unknown fields are errors, as promtool's strict decoding makes them")
    func unknownField() {
        let yaml = "groups:\n  - name: a\n    rules:\n      - record: x\n        expr: up\n        labelz: {}\n"
        let error = #expect(throws: ConfigError.self) { try RuleFile.parse(yaml: yaml, fileName: "r.yml") }
        #expect(error?.kind == .unknownField)
        #expect(error?.line == 6)
    }

    @Test("rule_files globs are expanded relative to the config file")
    func globs() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("rules-a.yml", "groups: []\n")
        _ = try directory.write("rules-b.yml", "groups: []\n")
        _ = try directory.write("rules-c.txt", "")
        let config = try directory.write("prometheus.yml", "rule_files:\n  - rules-*.yml\n")
        let loaded = try PrometheusConfig.load(path: config)
        let paths = try loaded.ruleFilePaths()
        #expect(paths == [directory.path + "/rules-a.yml", directory.path + "/rules-b.yml"])
        let files = try RuleFile.loadAll(paths: paths)
        #expect(files.map(\.path) == paths)
        let missing = #expect(throws: ConfigError.self) { try RuleFile.load(path: directory.path + "/none.yml") }
        #expect(missing?.kind == .unreadable)
    }
}
