import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VigilHTTPClient

/// Sends one notification request and judges the answer as Alertmanager's `notify.Retrier` does:
/// 2xx is delivered; 5xx and 429 may succeed later (retryable); any other status will not. The
/// error carries the status and the first bytes of the response body, never the URL (which may
/// hold a token).
struct HTTPDelivery: Sendable {
    let client: ConfiguredHTTPClient
    /// Bounds the whole exchange.
    let timeout: Duration

    /// How much of an error response's body goes into the error.
    static let errorBodyLimit = 1024

    /// POSTs `body` to `url` with `contentType`, the client's configured headers and `headers`;
    /// returns the response body (at most 1 MiB) on a 2xx.
    @discardableResult
    func post(
        _ body: [UInt8], to url: String, contentType: String = "application/json", headers extra: [(String, String)] = []
    ) async throws(IntegrationError) -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        do {
            request.headers = try client.requestHeaders()
        } catch {
            throw IntegrationError(retryable: false, "preparing request: \(error)")
        }
        request.headers.replaceOrAdd(name: "Content-Type", value: contentType)
        request.headers.replaceOrAdd(name: "User-Agent", value: "Vigil-Alertmanager")
        for (name, value) in extra { request.headers.replaceOrAdd(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        let bytes: [UInt8]
        do {
            let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
            response = try await client.client(for: request.url).execute(request, timeout: .nanoseconds(nanoseconds))
            let buffer = try await response.body.collect(upTo: 1 << 20)
            bytes = Array(buffer.readableBytesView)
        } catch {
            throw IntegrationError(retryable: true, "request failed: \(Self.redact(error, url: url))")
        }
        try Self.check(status: Int(response.status.code), body: bytes)
        return bytes
    }

    /// Alertmanager's status verdict.
    static func check(status: Int, body: [UInt8]) throws(IntegrationError) {
        if (200..<300).contains(status) { return }
        let retryable = status / 100 == 5 || status == 429
        var message = "unexpected status code \(status)"
        let excerpt = String(decoding: body.prefix(errorBodyLimit), as: UTF8.self)
        if !excerpt.isEmpty { message += ": " + excerpt }
        throw IntegrationError(retryable: retryable, message)
    }

    /// The error's text with the URL, its path (Telegram puts the bot token there) and its query
    /// (where robots and webhooks put keys) taken out.
    static func redact(_ error: any Error, url: String) -> String {
        var text = "\(error)"
        if !url.isEmpty { text = text.replacing(url, with: "<redacted>") }
        if let components = URLComponents(string: url) {
            for part in [components.percentEncodedQuery ?? "", components.percentEncodedPath, components.path]
            where part.count > 1 {
                text = text.replacing(part, with: "<redacted>")
            }
        }
        return text
    }
}
