import VigilModel
import VigilNotifier
import VigilRules

extension NotifierAlert {
    /// The notification for an alert of an alerting rule, as Prometheus's `sendAlerts` builds it:
    /// it starts when it started firing and ends when it resolved, or else when the last
    /// notification stops vouching for it.
    init(ruleAlert alert: Alert, expression: String, externalURL: String) {
        self.init(
            labels: Labels(alert.labels.map { Label(name: $0.key, value: $0.value) }),
            annotations: Labels(alert.annotations.map { Label(name: $0.key, value: $0.value) }),
            startsAt: alert.firedAt ?? alert.activeAt,
            endsAt: alert.resolvedAt ?? alert.validUntil ?? alert.activeAt,
            generatorURL: NotifierAlert.generatorURL(externalURL: externalURL, expression: expression))
    }
}
