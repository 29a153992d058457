import Testing
import VigilConfig
import VigilModel
@testable import VigilAlertmanager

@Suite("Inhibition")
struct InhibitorTests {
    private func inhibitor(_ yaml: String) throws -> (Inhibitor, AlertMarker) {
        let rules = try ConfigDecoder.decode([InhibitRuleConfig].self, fromYAML: yaml, fileName: "inhibit.yml")
        let marker = AlertMarker()
        return (Inhibitor(rules: rules, marker: marker), marker)
    }

    private func firing(_ pairs: KeyValuePairs<String, String>) -> Alert {
        Alert(labels: labels(pairs), startsAt: t0, endsAt: t0 + 60 * minute)
    }

    @Test("a firing source mutes targets with equal labels; a missing label equals an empty one")
    func equalLabels() throws {
        let (inhibitor, marker) = try inhibitor("""
            - source_matchers: [severity=critical]
              target_matchers: [severity=warning]
              equal: [cluster, zone]
            """)
        let source = firing(["alertname": "Down", "severity": "critical", "cluster": "a"])
        inhibitor.observe([source])
        #expect(inhibitor.mutes(labels(["severity": "warning", "cluster": "a"]), now: t0))
        #expect(marker.status(Fingerprint(labels(["severity": "warning", "cluster": "a"]))).inhibitedBy
            == [source.fingerprint.description])
        #expect(!inhibitor.mutes(labels(["severity": "warning", "cluster": "b"]), now: t0))
        #expect(!inhibitor.mutes(labels(["severity": "warning", "cluster": "a", "zone": "z"]), now: t0))
        #expect(!inhibitor.mutes(labels(["severity": "info", "cluster": "a"]), now: t0))
        // Once the source resolves, nothing is muted.
        #expect(!inhibitor.mutes(labels(["severity": "warning", "cluster": "a"]), now: t0 + 61 * minute))
    }

    @Test("alerts matching both sides do not inhibit each other; legacy match forms work")
    func bothSides() throws {
        let (inhibitor, _) = try inhibitor("""
            - source_match: {team: ops}
              target_match_re: {team: "op.*"}
              equal: [alertname]
            """)
        let one = firing(["alertname": "X", "team": "ops", "instance": "1"])
        let two = firing(["alertname": "X", "team": "ops", "instance": "2"])
        inhibitor.observe([one, two])
        #expect(!inhibitor.mutes(one.labels, now: t0))
        #expect(!inhibitor.mutes(two.labels, now: t0))
        #expect(inhibitor.mutes(labels(["alertname": "X", "team": "opsx"]), now: t0))
    }

    @Test("invalid rules are refused")
    func errors() {
        #expect(throws: ConfigError.self) { try inhibitor("- source_matchers: ['a=\"b']") }
        #expect(throws: ConfigError.self) { try inhibitor("- equal: ['a-b']") }
        #expect(throws: ConfigError.self) { try inhibitor("- source_match_re: {a: '('}") }
    }
}
