import VigilModel
import VigilTemplate

/// The version-4 webhook body, byte for byte as Alertmanager's `json.Encoder` writes it: the
/// template data's fields, then `version`, `groupKey`, `truncatedAlerts`, and a final newline.
enum WebhookPayload {
    static func encode(_ data: NotificationData) -> String {
        let body = GoJSON.Value.object([
            ("receiver", .string(data.quotedReceiver)),
            ("status", .string(data.status.rawValue)),
            ("alerts", .array(data.alerts.map(alert))),
            ("groupLabels", .stringMap(data.groupLabels.dictionary)),
            ("commonLabels", .stringMap(data.commonLabels.dictionary)),
            ("commonAnnotations", .stringMap(data.commonAnnotations.dictionary)),
            ("externalURL", .string(data.externalURL)),
            ("version", .string("4")),
            ("groupKey", .string(data.groupKey)),
            ("truncatedAlerts", .int(Int64(data.truncatedAlerts))),
        ])
        return GoJSON.encode(body) + "\n"
    }

    private static func alert(_ alert: NotificationAlert) -> GoJSON.Value {
        .object([
            ("status", .string(alert.status.rawValue)),
            ("labels", .stringMap(alert.labels.dictionary)),
            ("annotations", .stringMap(alert.annotations.dictionary)),
            ("startsAt", .string(timestamp(alert.startsAt))),
            ("endsAt", .string((alert.endsAt.map { GoTime(nanoseconds: $0) } ?? GoTime.zero).format(GoTime.rfc3339Nano))),
            ("generatorURL", .string(alert.generatorURL)),
            ("fingerprint", .string(alert.fingerprint)),
        ])
    }

    /// Go's `time.Time` JSON form (RFC 3339 with nanoseconds, trailing zeros dropped), in UTC.
    static func timestamp(_ nanoseconds: Int64) -> String {
        GoTime(nanoseconds: nanoseconds).format(GoTime.rfc3339Nano)
    }
}
