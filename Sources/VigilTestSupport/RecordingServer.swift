import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// An HTTP server on a loopback port that records every request and answers with the responses a
/// test queues (then 200 with `defaultBody`).
public final class RecordingServer: Sendable {
    /// One request as received: headers keyed by lower-case name.
    public struct Request: Sendable {
        public let method: String
        public let path: String
        public let query: String
        public let headers: [String: String]
        public let body: String
    }

    private let answers = Mutex<[(Int, String)]>([])
    private let recorded = Mutex<[Request]>([])
    /// The loopback port it listens on.
    public let port: Int
    /// The body of a 200 answer when no answer is queued.
    public let defaultBody: String

    private init(port: Int, defaultBody: String) {
        self.port = port
        self.defaultBody = defaultBody
    }

    /// Every request so far, in arrival order.
    public var requests: [Request] { recorded.withLock { $0 } }
    /// `http://127.0.0.1:<port>`.
    public var base: String { "http://127.0.0.1:\(port)" }

    /// Answers the next requests with these statuses and bodies, in order.
    public func answer(_ status: Int, _ body: String = "") {
        answers.withLock { $0.append((status, body)) }
    }

    /// Runs `body` with a server that records POSTs to any path, stopping it afterwards.
    public static func with<T>(defaultBody: String = "", _ body: (RecordingServer) async throws -> T) async throws -> T {
        let holder = Mutex<RecordingServer?>(nil)
        let router = Router()
        let record: @Sendable (Hummingbird.Request, BasicRequestContext) async throws -> Response = { request, _ in
            guard let server = holder.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            let bytes = try await request.body.collect(upTo: 16 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let uri = request.uri
            server.recorded.withLock {
                $0.append(Request(
                    method: "\(request.method)", path: uri.path, query: uri.query ?? "", headers: headers,
                    body: String(buffer: bytes)))
            }
            let (status, text) = server.answers.withLock { $0.isEmpty ? (200, server.defaultBody) : $0.removeFirst() }
            return Response(
                status: HTTPResponse.Status(code: status), headers: [.contentType: "text/plain"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        // `**` needs at least one path segment; ClickHouse and Elasticsearch clients post to `/`.
        router.post("/", use: record)
        router.post("**", use: record)
        return try await LoopbackHTTPServer.run(router) { port in
            let server = RecordingServer(port: port, defaultBody: defaultBody)
            holder.withLock { $0 = server }
            return try await body(server)
        }
    }
}
