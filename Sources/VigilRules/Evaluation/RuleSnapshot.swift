/// One rule as the API shows it: its definition, last evaluation, and (alerting rules) alerts.
public struct RuleSnapshot: Sendable {
    /// The rule as written.
    public var definition: RuleDefinition
    /// The last evaluation's outcome.
    public var status: RuleStatus
    /// The rule's most advanced alert state (alerting rules; `.inactive` for recording rules).
    public var state: AlertState
    /// Pending and firing alerts, sorted by labels (empty for recording rules).
    public var alerts: [Alert]
}

extension RuleGroup {
    /// The rules' current state, in group order.
    public var ruleSnapshots: [RuleSnapshot] {
        rules.map { rule in
            if let alerting = rule as? AlertingRule {
                return RuleSnapshot(
                    definition: rule.definition, status: rule.status, state: alerting.alertState,
                    alerts: alerting.activeAlerts)
            }
            return RuleSnapshot(definition: rule.definition, status: rule.status, state: .inactive, alerts: [])
        }
    }
}
