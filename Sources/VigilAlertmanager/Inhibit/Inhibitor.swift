import Synchronization
import VigilModel

/// Mutes alerts by the `inhibit_rules` (`inhibit.Inhibitor`).
///
/// A target alert is muted while a firing alert matching the rule's source matchers has the same
/// values of the `equal` labels (a missing label equals an empty one). When the target also
/// matches the source side, source alerts that match the target side too are not considered,
/// so two alerts matching both sides do not mute each other.
final class Inhibitor: Sendable {
    private struct Rule: Sendable {
        var source: [LabelMatcher]
        var target: [LabelMatcher]
        var equal: [String]
    }

    private let rules: [Rule]
    /// Per rule, the alerts matching its source side, by fingerprint.
    private let sources: Mutex<[[Fingerprint: Alert]]>
    private let marker: AlertMarker

    init(rules: [InhibitRuleConfig], marker: AlertMarker) {
        self.rules = rules.map { Rule(source: $0.sourceMatchers, target: $0.targetMatchers, equal: $0.equal) }
        sources = Mutex(Array(repeating: [:], count: rules.count))
        self.marker = marker
    }

    /// Takes note of stored alerts (new or updated) that may inhibit others.
    func observe(_ alerts: [Alert]) {
        sources.withLock { sources in
            for (index, rule) in rules.enumerated() {
                for alert in alerts where rule.source.allMatch(alert.labels) {
                    sources[index][alert.fingerprint] = alert
                }
            }
        }
    }

    /// Forgets alerts the store dropped.
    func forget(_ fingerprints: [Fingerprint]) {
        sources.withLock { sources in
            for index in sources.indices {
                for fingerprint in fingerprints { sources[index][fingerprint] = nil }
            }
        }
    }

    /// Whether an alert with `labels` is inhibited at `now`; records the verdict in the marker.
    func mutes(_ labels: Labels, now: Int64) -> Bool {
        let fingerprint = Fingerprint(labels)
        let inhibitor: Fingerprint? = sources.withLock { sources in
            for (index, rule) in rules.enumerated() where rule.target.allMatch(labels) {
                let excludeBothSided = rule.source.allMatch(labels)
                // Any inhibiting alert will do; Alertmanager takes the first its cache yields.
                for source in sources[index].values where !source.isResolved(at: now) {
                    guard rule.equal.allSatisfy({ (source.labels[$0] ?? "") == (labels[$0] ?? "") }) else { continue }
                    if excludeBothSided, rule.target.allMatch(source.labels) { continue }
                    return source.fingerprint
                }
            }
            return nil
        }
        marker.setInhibited(fingerprint, by: inhibitor.map { [$0.description] } ?? [])
        return inhibitor != nil
    }
}
