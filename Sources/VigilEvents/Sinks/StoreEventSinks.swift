import Foundation
public import AsyncHTTPClient
import VigilModel

/// Elasticsearch's `_bulk` API: one `index` action per event into `index`, where `%Y.%m.%d`
/// becomes the event's day (UTC), so daily indices can be rotated.
public struct ElasticsearchEventSink: KubernetesEventSink {
    /// `elasticsearch`.
    public let name = "elasticsearch"
    let base: String
    let index: String
    let headers: [(String, String)]
    let poster: EventHTTPPoster

    /// A sink posting to `base` + `/_bulk` (`base` is the cluster URL, `http://es:9200`).
    public init(
        url base: String, index: String = "kube-events-%Y.%m.%d", headers: [(String, String)] = [],
        client: HTTPClient = .shared, timeout: Duration = .seconds(10)
    ) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.index = index
        self.headers = headers
        poster = EventHTTPPoster(client: client, timeout: timeout)
    }

    /// The request body for `notifications`: newline-delimited action and document lines.
    func body(_ notifications: [KubernetesEventNotification]) -> String {
        var out = ""
        for notification in notifications {
            out += #"{"index":{"_index":\#(JSONQuoting.quote(indexName(notification.record)))}}"# + "\n"
            out += EventText.json(notification.record) + "\n"
        }
        return out
    }

    func indexName(_ record: KubernetesEventRecord) -> String {
        let date = String(EventText.timestamp(record.lastSeenMilliseconds ?? 0).prefix(10))
        let parts = date.split(separator: "-")
        guard parts.count == 3 else { return index }
        return index.replacingOccurrences(of: "%Y", with: parts[0]).replacingOccurrences(of: "%m", with: parts[1])
            .replacingOccurrences(of: "%d", with: parts[2])
    }

    /// Posts the batch in one request; an answer with `"errors":true` fails it.
    public func send(_ notifications: [KubernetesEventNotification]) async throws {
        let answer = try await poster.post(
            Array(body(notifications).utf8), to: base + "/_bulk", contentType: "application/x-ndjson", headers: headers)
        if String(decoding: answer.prefix(64), as: UTF8.self).contains(#""errors":true"#) {
            throw EventSinkHTTPError(description: "bulk request had item errors")
        }
    }
}

/// InfluxDB's line protocol (`/write?db=…`, v1 API, or a v2 `/api/v2/write?org&bucket` URL as
/// given): measurement `kubernetes_events`, tags namespace, kind, object, reason, type; fields
/// message (string) and count (integer); the event's last-seen time in nanoseconds.
public struct InfluxDBEventSink: KubernetesEventSink {
    /// `influxdb`.
    public let name = "influxdb"
    let url: String
    let headers: [(String, String)]
    let poster: EventHTTPPoster

    /// A sink posting to the full write `url` (`http://influx:8086/write?db=k8s`).
    public init(url: String, headers: [(String, String)] = [], client: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        self.url = url
        self.headers = headers
        poster = EventHTTPPoster(client: client, timeout: timeout)
    }

    /// The lines for `notifications`.
    static func lines(_ notifications: [KubernetesEventNotification]) -> String {
        var out = ""
        for notification in notifications {
            let record = notification.record
            out += "kubernetes_events"
            for (key, value) in [
                ("namespace", record.namespace), ("kind", record.kind), ("object", record.objectName),
                ("reason", record.reason), ("type", record.type),
            ] where !value.isEmpty {
                out += "," + key + "=" + escapeTag(value)
            }
            out += " message=\"" + escapeField(record.message) + "\",count=\(record.count)i"
            if let last = record.lastSeenMilliseconds { out += " \(last * 1_000_000)" }
            out += "\n"
        }
        return out
    }

    /// Tag values escape commas, equals signs and spaces; newlines cannot appear and become spaces.
    static func escapeTag(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case ",", "=", " ": out += "\\" + String(character)
            case "\\": out += "\\\\"
            case "\n", "\r": out += "\\ "
            default: out.append(character)
            }
        }
        return out
    }

    /// String field values escape double quotes and backslashes.
    static func escapeField(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    /// Posts the batch in one request.
    public func send(_ notifications: [KubernetesEventNotification]) async throws {
        try await poster.post(Array(Self.lines(notifications).utf8), to: url, contentType: "text/plain; charset=utf-8", headers: headers)
    }
}
