import VigilConfig
import VigilRemote

/// Loki's push API: streams of the entries' labels, JSON (optionally gzip) or snappy protobuf.
struct LokiOutput: LogOutput {
    let config: LokiOutputConfig
    let transport: HTTPOutputTransport

    func encode(_ entries: [OutputEntry]) -> (request: [UInt8], bytes: Int) {
        let body: [UInt8]
        switch config.encoding {
        case .json: body = LokiPushEncoder.json(entries)
        case .protobuf: body = Snappy.compress(LokiPushEncoder.protobuf(entries))
        }
        return (body, body.count)
    }

    func send(_ request: [UInt8]) async throws -> HTTPOutputTransport.Response {
        var headers = [("Content-Type", config.encoding == .json ? "application/json" : "application/x-protobuf")]
        if !config.tenantID.isEmpty { headers.append(("X-Scope-OrgID", config.tenantID)) }
        return try await transport.post(config.url.string, body: request, headers: headers)
    }

    func interpret(_ response: HTTPOutputTransport.Response, count: Int) -> DeliveryOutcome {
        HTTPOutputTransport.outcome(response, what: "Loki")
    }

    func close() async {}
}
