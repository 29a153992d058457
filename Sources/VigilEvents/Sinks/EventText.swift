import VigilModel

/// The shared renderings of an event: a JSON object and a few lines of text for chat robots.
enum EventText {
    /// The event as one JSON object, fields in a fixed order.
    static func json(_ record: KubernetesEventRecord) -> String {
        var out = "{"
        func field(_ name: String, _ value: String) {
            if out.count > 1 { out += "," }
            out += JSONQuoting.quote(name) + ":" + JSONQuoting.quote(value)
        }
        field("namespace", record.namespace)
        field("name", record.name)
        field("kind", record.kind)
        field("object", record.objectName)
        field("reason", record.reason)
        field("message", record.message)
        field("type", record.type)
        out += ",\"count\":\(record.count)"
        field("component", record.component)
        field("host", record.host)
        field("firstTimestamp", timestamp(record.firstSeenMilliseconds))
        field("lastTimestamp", timestamp(record.lastSeenMilliseconds))
        return out + "}"
    }

    /// A short message: the label in brackets if any, then what, why and when.
    static func text(_ record: KubernetesEventRecord, label: String) -> String {
        var lines: [String] = []
        lines.append((label.isEmpty ? "" : "[\(label)] ") + "\(record.type) \(record.kind) \(record.objectNamespace)/\(record.objectName)")
        lines.append("Reason: \(record.reason)")
        lines.append("Message: \(record.message)")
        lines.append("Count: \(record.count)")
        lines.append("Time: \(timestamp(record.lastSeenMilliseconds))")
        return lines.joined(separator: "\n")
    }

    static func timestamp(_ milliseconds: Int64?) -> String {
        milliseconds.map { RFC3339.format(milliseconds: $0) } ?? ""
    }
}
