import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// A scrape's answer: the whole (decompressed) body and its `Content-Type`.
struct ScrapeResponse: Sendable {
    var body: ByteBuffer
    var contentType: String?
}

/// Collects one scrape's body on the loop's event loop, so a scrape costs no hop to another
/// thread. Fails the request as soon as the status is not 200 (the body is not read) or the
/// decompressed body passes `limit`.
final class ScrapeBodyCollector: HTTPClientResponseDelegate, @unchecked Sendable {
    // @unchecked: AsyncHTTPClient calls every method on the event loop the request was given.
    typealias Response = ScrapeResponse

    private let limit: Int
    private var contentType: String?
    private var body: ByteBuffer?

    init(limit: Int) {
        self.limit = limit
    }

    func didReceiveHead(task: HTTPClient.Task<ScrapeResponse>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        guard head.status == .ok else {
            return task.eventLoop.makeFailedFuture(
                ScrapeFetchError(message: "server returned HTTP status \(head.status.code) \(head.status.reasonPhrase)"))
        }
        contentType = head.headers.first(name: "Content-Type")
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<ScrapeResponse>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let size = (body?.readableBytes ?? 0) + buffer.readableBytes
        guard size <= limit else {
            body = nil
            return task.eventLoop.makeFailedFuture(ScrapeFetchError(message: "body size limit exceeded"))
        }
        if body == nil {
            body = buffer
        } else {
            var more = buffer
            body!.writeBuffer(&more)
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<ScrapeResponse>) throws -> ScrapeResponse {
        ScrapeResponse(body: body ?? ByteBuffer(), contentType: contentType)
    }
}

/// Why a fetch failed, in Prometheus's words where it has them.
struct ScrapeFetchError: Error {
    let message: String

    /// The message for any error a fetch ended with: ours as they are, the client's as Go words them.
    static func message(for error: any Error, url: String, address: String) -> String {
        if let fetch = error as? ScrapeFetchError { return fetch.message }
        return "Get \"\(url)\": " + describe(error, address: address)
    }

    /// Go's wording for the common failures: `context deadline exceeded`, `dial tcp …: connect:
    /// connection refused`; other errors as NIO describes them.
    static func describe(_ error: any Error, address: String) -> String {
        if let io = error as? IOError, io.errnoCode == ECONNREFUSED {
            return "dial tcp \(address): connect: connection refused"
        }
        if let client = error as? HTTPClientError,
           [.deadlineExceeded, .readTimeout, .connectTimeout, .getConnectionFromPoolTimeout, .writeTimeout].contains(client) {
            return "context deadline exceeded"
        }
        if let connection = error as? NIOConnectionError {
            let address = "\(connection.host):\(connection.port)"
            if let first = connection.connectionErrors.first {
                if let io = first.error as? IOError, io.errnoCode == ECONNREFUSED {
                    return "dial tcp \(address): connect: connection refused"
                }
                return "dial tcp \(address): \(first.error)"
            }
            if let dns = connection.dnsAError ?? connection.dnsAAAAError {
                return "dial tcp: lookup \(connection.host): \(dns)"
            }
        }
        return "\(error)"
    }
}
