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

    private var contentType: String?
    private var body: ScrapeBody

    init(limit: Int) {
        body = ScrapeBody(limit: limit)
    }

    func didReceiveHead(task: HTTPClient.Task<ScrapeResponse>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        guard head.status == .ok else { return task.eventLoop.makeFailedFuture(ScrapeFetchError(status: head.status)) }
        contentType = head.headers.first(name: "Content-Type")
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<ScrapeResponse>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        do throws(ScrapeFetchError) {
            try body.append(buffer)
            return task.eventLoop.makeSucceededVoidFuture()
        } catch {
            return task.eventLoop.makeFailedFuture(error)
        }
    }

    func didFinishRequest(task: HTTPClient.Task<ScrapeResponse>) throws -> ScrapeResponse {
        ScrapeResponse(body: body.collected, contentType: contentType)
    }
}

/// A scrape body as its parts arrive (decompressed), refused once it passes `limit` bytes.
struct ScrapeBody {
    let limit: Int
    private var bytes: ByteBuffer?

    init(limit: Int) {
        self.limit = limit
    }

    /// The body so far.
    var collected: ByteBuffer { bytes ?? ByteBuffer() }

    /// Appends `part`; throws (and drops what was collected) when the body passes the limit.
    mutating func append(_ part: ByteBuffer) throws(ScrapeFetchError) {
        guard (bytes?.readableBytes ?? 0) + part.readableBytes <= limit else {
            bytes = nil
            throw ScrapeFetchError(message: "body size limit exceeded")
        }
        if bytes == nil {
            bytes = part
        } else {
            var more = part
            bytes!.writeBuffer(&more)
        }
    }
}

/// Why a fetch failed, in Prometheus's words where it has them.
struct ScrapeFetchError: Error {
    let message: String

    init(message: String) {
        self.message = message
    }

    /// A target answered something other than 200.
    init(status: HTTPResponseStatus) {
        message = "server returned HTTP status \(status.code) \(status.reasonPhrase)"
    }

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
