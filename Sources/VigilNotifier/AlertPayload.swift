import VigilConfig
import VigilModel

/// The JSON body Prometheus posts to an Alertmanager: an array of alerts, fields in the order Go
/// marshals `models.PostableAlert` (v2) or `notifier.Alert` (v1), maps with sorted keys, times
/// as RFC 3339 with milliseconds.
enum AlertPayload {
    static func encode(_ alerts: [NotifierAlert], version: AlertmanagerAPIVersion) -> [UInt8] {
        var out = "["
        for (index, alert) in alerts.enumerated() {
            if index > 0 { out += "," }
            switch version {
            case .v2:
                out += "{"
                if !alert.annotations.isEmpty {
                    out += "\"annotations\":"
                    JSONQuoting.append(alert.annotations, to: &out)
                    out += ","
                }
                out += "\"endsAt\":\"" + RFC3339.format(milliseconds: alert.endsAt) + "\""
                out += ",\"startsAt\":\"" + RFC3339.format(milliseconds: alert.startsAt) + "\""
                if !alert.generatorURL.isEmpty {
                    out += ",\"generatorURL\":"
                    JSONQuoting.append(alert.generatorURL, to: &out)
                }
                out += ",\"labels\":"
                JSONQuoting.append(alert.labels, to: &out)
                out += "}"
            case .v1:
                out += "{\"labels\":"
                JSONQuoting.append(alert.labels, to: &out)
                out += ",\"annotations\":"
                JSONQuoting.append(alert.annotations, to: &out)
                out += ",\"startsAt\":\"" + RFC3339.format(milliseconds: alert.startsAt) + "\""
                out += ",\"endsAt\":\"" + RFC3339.format(milliseconds: alert.endsAt) + "\""
                if !alert.generatorURL.isEmpty {
                    out += ",\"generatorURL\":"
                    JSONQuoting.append(alert.generatorURL, to: &out)
                }
                out += "}"
            }
        }
        out += "]"
        return Array(out.utf8)
    }
}
