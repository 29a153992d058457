import VigilModel

extension NotificationData {
    /// The notification with at most `maxAlerts` alerts (0: all), as Alertmanager builds it for an
    /// integration with `max_alerts`: the first alerts kept, the number left out in
    /// ``truncatedAlerts``, and status and common labels and annotations computed again over the
    /// alerts kept.
    public func truncated(to maxAlerts: Int) -> NotificationData {
        guard maxAlerts > 0, alerts.count > maxAlerts else { return self }
        var data = self
        data.alerts = Array(alerts.prefix(maxAlerts))
        data.truncatedAlerts = alerts.count - maxAlerts
        data.status = data.alerts.contains { $0.status == .firing } ? .firing : .resolved
        data.commonLabels = Self.common(data.alerts.map(\.labels))
        data.commonAnnotations = Self.common(data.alerts.map(\.annotations))
        return data
    }

    /// The pairs every set has with the same value.
    static func common(_ sets: [Labels]) -> Labels {
        guard var common = sets.first?.dictionary else { return .empty }
        for set in sets.dropFirst() {
            for (name, value) in common where set[name] != value {
                common[name] = nil
            }
        }
        return Labels(common.map { Label(name: $0.key, value: $0.value) })
    }
}
