import FoundationEssentials
import VigilConfig
import VigilModel

/// ClickHouse's HTTP interface: `INSERT INTO <database>.<table> FORMAT JSONEachRow`, one row per
/// line with the columns `timestamp`, `labels` and `line` (docs/LOGS.md has the table).
///
/// An insert is atomic for a batch below `max_insert_block_size` rows (1 048 576 by default), so a
/// failed request inserted nothing and is retried whole.
struct ClickHouseOutput: LogOutput {
    let config: ClickHouseOutputConfig
    let transport: HTTPOutputTransport

    var insertURL: String {
        var base = config.url.string
        if let query = base.firstIndex(of: "?") { base = String(base[..<query]) }
        if !base.hasSuffix("/") { base += "/" }
        let statement = "INSERT INTO \(config.database).\(config.table) (timestamp, labels, line) FORMAT JSONEachRow"
        return base + "?query=" + PercentEncoding.encode(statement)
    }

    func encode(_ entries: [OutputEntry]) -> (request: [UInt8], bytes: Int) {
        var out = ""
        out.reserveCapacity(entries.reduce(0) { $0 + $1.line.count + 128 })
        for entry in entries {
            out += "{\"timestamp\":"
            switch config.timestampFormat {
            case .datetime64:
                out += "\""
                out += UTCTime(nanoseconds: entry.timestamp).dateTime64
                out += "\""
            case .unixNanos:
                out += String(entry.timestamp)
            }
            out += ",\"labels\":"
            var labels = "{"
            for (index, label) in entry.labels.enumerated() {
                if index > 0 { labels += "," }
                JSONQuoting.append(label.name, to: &labels)
                labels += ":"
                JSONQuoting.append(label.value, to: &labels)
            }
            labels += "}"
            switch config.labelsFormat {
            case .map: out += labels
            case .jsonString: JSONQuoting.append(labels, to: &out)
            }
            out += ",\"line\":"
            JSONQuoting.append(String(decoding: entry.line, as: UTF8.self), to: &out)
            out += "}\n"
        }
        let body = Array(out.utf8)
        return (body, body.count)
    }

    func send(_ request: [UInt8]) async throws -> HTTPOutputTransport.Response {
        var headers = [("Content-Type", "application/x-ndjson")]
        if !config.user.isEmpty || !config.passwordFile.isEmpty {
            // Basic authentication: every ClickHouse version's HTTP interface accepts it.
            var password = ""
            if !config.passwordFile.isEmpty {
                guard let bytes = PosixFile.contents(config.passwordFile) else {
                    throw LogsError("cannot read password_file \(config.passwordFile): \(PosixFile.errorText())")
                }
                password = String(decoding: bytes, as: UTF8.self)
                while password.hasSuffix("\n") || password.hasSuffix("\r") { password.removeLast() }
            }
            let user = config.user.isEmpty ? "default" : config.user
            headers.append(("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()))
        }
        return try await transport.post(insertURL, body: request, headers: headers)
    }

    func interpret(_ response: HTTPOutputTransport.Response, count: Int) -> DeliveryOutcome {
        HTTPOutputTransport.outcome(response, what: "ClickHouse")
    }

    func close() async {}
}
