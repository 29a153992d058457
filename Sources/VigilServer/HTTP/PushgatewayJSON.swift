import VigilModel
import VigilScrape

/// The Pushgateway's JSON API shapes (`api/v1/api.go`), written by hand like the Prometheus API's.
enum PushgatewayJSON {
    /// `GET /api/v1/metrics`'s data: one object per group, keyed by family name plus `labels`
    /// and `last_push_successful` (keys sorted, as Go's encoder writes a map), groups in grouping-key
    /// order.
    static func groups(_ groups: [PushedGroup]) -> String {
        "[" + groups.map(group).joined(separator: ",") + "]"
    }

    private static func group(_ group: PushedGroup) -> String {
        // Inserted in the Pushgateway's order, so a family named `labels` wins as it does there.
        var fields: [String: String] = [:]
        fields["labels"] = object(group.key.labels.map { ($0.name, JSONQuoting.quote($0.value)) })
        fields["last_push_successful"] = group.lastPushSuccessful ? "true" : "false"
        for (name, entry) in group.families {
            fields[name] = family(entry)
        }
        return object(fields.map { ($0.key, $0.value) })
    }

    private static func family(_ entry: PushedGroup.Entry) -> String {
        var body = "{\"time_stamp\":" + JSONQuoting.quote(time(nanoseconds: entry.updated))
            + ",\"type\":" + JSONQuoting.quote(entry.family.typeName)
        if let help = entry.family.help, !help.isEmpty { body += ",\"help\":" + JSONQuoting.quote(help) }
        body += ",\"metrics\":[" + entry.family.metrics.map(metric).joined(separator: ",") + "]}"
        return body
    }

    /// A metric as the Pushgateway's `makeEncodableMetrics`: numbers as Go's `fmt.Sprint` strings.
    private static func metric(_ metric: PushedMetric) -> String {
        var fields = [("labels", object(metric.labels.map { ($0.name, JSONQuoting.quote($0.value)) }))]
        switch metric.value {
        case .counter(let value), .gauge(let value), .untyped(let value):
            fields.append(("value", JSONQuoting.quote(GoFloat.format(value))))
        case .summary(let summary):
            fields.append(("quantiles", object(summary.quantiles.map { (GoFloat.format($0.quantile), JSONQuoting.quote(GoFloat.format($0.value))) })))
            fields.append(("count", JSONQuoting.quote(String(summary.count))))
            fields.append(("sum", JSONQuoting.quote(GoFloat.format(summary.sum))))
        case .histogram(let histogram):
            fields.append(("buckets", object(histogram.buckets.map { (GoFloat.format($0.upperBound), JSONQuoting.quote(String($0.cumulativeCount))) })))
            fields.append(("count", JSONQuoting.quote(String(histogram.count))))
            fields.append(("sum", JSONQuoting.quote(GoFloat.format(histogram.sum))))
        }
        return object(fields)
    }

    /// A JSON object with keys sorted bytewise; a repeated key keeps its last value (a Go map).
    static func object(_ fields: [(String, String)]) -> String {
        var unique: [String: String] = [:]
        for (key, value) in fields { unique[key] = value }
        let members = unique.sorted { ByteOrder.less($0.key, $1.key) }
            .map { JSONQuoting.quote($0.key) + ":" + $0.value }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// Go's `time.Time` JSON form (RFC 3339 with nanoseconds, trailing zeros dropped), in UTC.
    static func time(nanoseconds: Int64) -> String {
        let second = nanoseconds >= 0 || nanoseconds % 1_000_000_000 == 0
            ? nanoseconds / 1_000_000_000 : nanoseconds / 1_000_000_000 - 1
        var fraction = nanoseconds - second * 1_000_000_000
        let milliseconds = RFC3339.format(milliseconds: second * 1000)
        var text = String(milliseconds.dropLast(5))
        guard fraction != 0 else { return text + "Z" }
        var digits = 9
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let number = String(fraction)
        text += "." + String(repeating: "0", count: digits - number.count) + number
        return text + "Z"
    }
}
