import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import VigilConfig
import VigilHTTPClient

/// POSTs an output's request bodies: the configured client's headers (auth, custom headers), the
/// output's own, optional gzip, a timeout, and the answer read up to a limit.
struct HTTPOutputTransport: Sendable {
    /// A status and the start of the body.
    struct Response: Sendable {
        var status: Int
        var body: [UInt8]

        /// The body as text, cut for a log message.
        var excerpt: String { String(decoding: body.prefix(512), as: UTF8.self) }
    }

    let client: ConfiguredHTTPClient
    let compression: HTTPCompression
    let timeout: PromDuration
    /// Responses are read up to this many bytes.
    let maximumResponseBytes: Int

    /// POSTs `body` (gzip-compressed when configured) to `url` with `headers`.
    func post(_ url: String, body: [UInt8], headers: [(String, String)]) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = try client.requestHeaders()
        request.headers.replaceOrAdd(name: "User-Agent", value: "Vigil")
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if compression == .gzip {
            request.body = .bytes(ByteBuffer(bytes: Zlib.deflate(body, format: .gzip)))
            request.headers.replaceOrAdd(name: "Content-Encoding", value: "gzip")
        } else {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.client(for: request.url).execute(request, timeout: .milliseconds(timeout.milliseconds))
        var collected = try await response.body.collect(upTo: maximumResponseBytes)
        return Response(status: Int(response.status.code), body: collected.readBytes(length: collected.readableBytes) ?? [])
    }

    /// 2xx is accepted, 429 and 5xx are retried, anything else is rejected for good.
    static func outcome(_ response: Response, what: String) -> DeliveryOutcome {
        if (200..<300).contains(response.status) { return .accepted }
        let reason = "\(what) returned HTTP status \(response.status): \(response.excerpt)"
        return response.status == 429 || response.status >= 500 ? .retry(reason) : .rejected(reason)
    }
}
