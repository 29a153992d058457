import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// An HTTP sink's failure: the status and the first bytes of the answer, never the URL (robot
/// URLs carry their token).
public struct EventSinkHTTPError: Error, Sendable, CustomStringConvertible {
    /// A sentence for logs.
    public let description: String
}

/// POSTs a sink's payload with a timeout and a bounded read of the answer; 2xx is success.
struct EventHTTPPoster: Sendable {
    let client: HTTPClient
    let timeout: Duration

    @discardableResult
    func post(_ body: [UInt8], to url: String, contentType: String, headers: [(String, String)] = []) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "User-Agent", value: "Vigil-Events")
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        let response: HTTPClientResponse
        let answer: [UInt8]
        do {
            response = try await client.execute(request, timeout: .nanoseconds(nanoseconds))
            answer = Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        } catch {
            // Robot and webhook URLs carry their token: keep the URL out of the message.
            throw EventSinkHTTPError(description: "request failed: " + "\(error)".replacing(url, with: "<url>"))
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            throw EventSinkHTTPError(
                description: "status \(response.status.code): \(String(decoding: answer.prefix(512), as: UTF8.self))")
        }
        return answer
    }
}
