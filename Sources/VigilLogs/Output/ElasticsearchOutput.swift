import VigilConfig
import VigilModel

/// Elasticsearch's and OpenSearch's `_bulk` API: one `index` action per line into a dated index,
/// each item's status checked. Items refused with 429 or 5xx are sent again (alone); other
/// refusals (mapping errors, 400) are dropped and counted.
///
/// The documents follow ECS: `{"@timestamp": RFC 3339 ns, "message": line, "labels": {…}}`.
struct ElasticsearchOutput: LogOutput {
    let config: ElasticsearchOutputConfig
    let transport: HTTPOutputTransport
    /// `_bulk` answers hold an item per line: allow for large batches.
    static let maximumResponseBytes = 64 << 20

    var bulkURL: String {
        var base = config.url.string
        while base.hasSuffix("/") { base.removeLast() }
        base += "/_bulk"
        if !config.pipeline.isEmpty { base += "?pipeline=" + PercentEncoding.encode(config.pipeline) }
        return base
    }

    func encode(_ entries: [OutputEntry]) -> (request: [UInt8], bytes: Int) {
        var out = ""
        out.reserveCapacity(entries.reduce(0) { $0 + $1.line.count + 160 })
        var lastDay: (Int64, Int64, Int64, Int64) = (-1, -1, -1, -1)
        var action = ""
        for entry in entries {
            let time = UTCTime(nanoseconds: entry.timestamp)
            if (time.year, time.month, time.day, time.hour) != lastDay {
                lastDay = (time.year, time.month, time.day, time.hour)
                action = "{\"index\":{\"_index\":"
                JSONQuoting.append(time.expand(config.index), to: &action)
                action += "}}\n"
            }
            out += action
            out += "{\"@timestamp\":\""
            out += time.rfc3339
            out += "\",\"message\":"
            JSONQuoting.append(String(decoding: entry.line, as: UTF8.self), to: &out)
            out += ",\"labels\":{"
            for (index, label) in entry.labels.enumerated() {
                if index > 0 { out += "," }
                JSONQuoting.append(label.name, to: &out)
                out += ":"
                JSONQuoting.append(label.value, to: &out)
            }
            out += "}}\n"
        }
        let body = Array(out.utf8)
        return (body, body.count)
    }

    func send(_ request: [UInt8]) async throws -> HTTPOutputTransport.Response {
        try await transport.post(bulkURL, body: request, headers: [("Content-Type", "application/x-ndjson")])
    }

    func interpret(_ response: HTTPOutputTransport.Response, count: Int) -> DeliveryOutcome {
        Self.interpret(response, count: count)
    }

    /// The outcome of a `_bulk` answer for `count` actions: the request's status first, then each item's.
    static func interpret(_ response: HTTPOutputTransport.Response, count: Int) -> DeliveryOutcome {
        guard (200..<300).contains(response.status) else { return HTTPOutputTransport.outcome(response, what: "Elasticsearch") }
        do {
            let (errors, items) = try parseBulkResponse(response.body)
            guard errors else { return .accepted }
            guard items.count == count else {
                return .retry("Elasticsearch answered \(items.count) items for \(count) actions")
            }
            return .items(items)
        } catch {
            return .retry("unreadable _bulk response: \(error)")
        }
    }

    /// `errors` and every item's outcome from a `_bulk` response body.
    static func parseBulkResponse(_ body: [UInt8]) throws(JSONReader.Error) -> (errors: Bool, items: [DeliveryOutcome.ItemOutcome]) {
        var reader = JSONReader(body)
        var errors = false
        var items: [DeliveryOutcome.ItemOutcome] = []
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Error) in
            switch key {
            case "errors": errors = try reader.readBool()
            case "items":
                try reader.readArray { (reader: inout JSONReader) throws(JSONReader.Error) in
                    // {"index": {"status": 201, "error": {"type": …, "reason": …}}}
                    var item: DeliveryOutcome.ItemOutcome = .retry("an item without a status")
                    try reader.readObject { (reader: inout JSONReader, _: String) throws(JSONReader.Error) in
                        var status: Int64 = 0
                        var reason = ""
                        try reader.readObject { (reader: inout JSONReader, field: String) throws(JSONReader.Error) in
                            switch field {
                            case "status": status = try reader.readInteger()
                            case "error": reason = try readError(&reader)
                            default: try reader.skipValue()
                            }
                        }
                        if (200..<300).contains(status) {
                            item = .accepted
                        } else if status == 429 || status >= 500 {
                            item = .retry("status \(status): \(reason)")
                        } else {
                            item = .rejected("status \(status): \(reason)")
                        }
                    }
                    items.append(item)
                }
            default: try reader.skipValue()
            }
        }
        try reader.expectEnd()
        return (errors, items)
    }

    /// `type: reason` of an item's `error` (an object, or a plain string in old versions).
    private static func readError(_ reader: inout JSONReader) throws(JSONReader.Error) -> String {
        var copy = reader
        if let text = try? copy.readString() {
            reader = copy
            return text
        }
        var type = ""
        var reason = ""
        try reader.readObject { (reader: inout JSONReader, field: String) throws(JSONReader.Error) in
            switch field {
            case "type": type = try reader.readString()
            case "reason": reason = try reader.readString()
            default: try reader.skipValue()
            }
        }
        return type + ": " + reason
    }

    func close() async {}
}
