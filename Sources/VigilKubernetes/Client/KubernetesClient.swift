import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import VigilConfig
import VigilHTTPClient

/// A client of one Kubernetes API server: paged lists and watches of typed objects.
///
/// HTTPS with the connection's CA, client certificate and credentials (token files are re-read
/// for every request; exec plugin tokens are cached until they expire). Every answer is bounded:
/// list bodies by ``maximumListBytes``, watch lines by ``maximumWatchEventBytes``. One client is
/// shared by every informer of a connection; call ``shutdown()`` when done.
public final class KubernetesClient: Sendable {
    /// Where and how this client connects.
    public let connection: KubernetesConnection
    /// The largest list page body accepted.
    public let maximumListBytes: Int
    /// The largest single watch event accepted.
    public let maximumWatchEventBytes: Int
    let http: ConfiguredHTTPClient
    let exec: ExecCredentialPlugin?
    let logger: Logger
    /// Resources found by ``discoverResource(group:name:)``, by `group/name`.
    let discovered = Mutex<[String: KubernetesResource]>([:])

    /// A client for `connection`; throws when its TLS material cannot be loaded.
    public init(
        connection: KubernetesConnection, logger: Logger, maximumListBytes: Int = 256 << 20,
        maximumWatchEventBytes: Int = 16 << 20
    ) throws {
        self.connection = connection
        self.logger = logger
        self.maximumListBytes = maximumListBytes
        self.maximumWatchEventBytes = maximumWatchEventBytes
        http = try ConfiguredHTTPClient(config: connection.httpClient)
        exec = connection.exec.map { ExecCredentialPlugin($0) }
    }

    /// Stops the connection pool.
    public func shutdown() async {
        await http.shutdown()
    }

    /// The URL of `resource` in `namespace` with `query`, its values percent-encoded.
    func url(_ resource: KubernetesResource, namespace: String?, query: [(String, String)]) -> String {
        var url = connection.server + resource.path(namespace: namespace)
        var separator = "?"
        for (name, value) in query {
            url += separator + name + "=" + Self.queryEscape(value)
            separator = "&"
        }
        return url
    }

    static func queryEscape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    func request(_ url: String) async throws -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.headers = try http.requestHeaders()
        if let exec {
            request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(try await exec.token())")
        }
        request.headers.replaceOrAdd(name: "Accept", value: "application/json")
        request.headers.replaceOrAdd(name: "User-Agent", value: "Vigil")
        return request
    }

    /// Turns a non-200 answer into an error, reading the `Status` the server sent.
    func failure(_ response: HTTPClientResponse, url: String) async -> KubernetesError {
        if response.status == .unauthorized { exec?.invalidate() }
        let body = try? await response.body.collect(upTo: 1 << 20)
        let status = body.flatMap { try? JSONDecoder().decode(Status.self, from: Data($0.readableBytesView)) }
        if response.status.code == 410 { return .gone(status, url: url) }
        return .httpStatus(Int(response.status.code), status, url: url)
    }

    /// One page of `Object`s in `namespace` (nil: all namespaces).
    ///
    /// `continueToken` asks for the page after a previous one; `resourceVersion` "0" allows an
    /// answer from the server's cache, empty asks for the latest (a quorum read).
    public func listPage<Object: KubernetesObject>(
        _ type: Object.Type, namespace: String?, options: ListOptions = ListOptions(), continueToken: String? = nil,
        resourceVersion: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> ObjectList<Object> {
        var query = options.selectorQuery
        if options.limit > 0 { query.append(("limit", String(options.limit))) }
        if let continueToken, !continueToken.isEmpty { query.append(("continue", continueToken)) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        let url = url(Object.resource, namespace: namespace, query: query)
        let response = try await http.client(for: url).execute(
            try await request(url), timeout: .nanoseconds(Self.nanoseconds(timeout)))
        guard response.status == .ok else { throw await failure(response, url: url) }
        let body = try await response.body.collect(upTo: maximumListBytes)
        do {
            return try JSONDecoder().decode(ObjectList<Object>.self, from: Data(body.readableBytesView))
        } catch {
            throw KubernetesError.decoding("\(Object.resource) list", url: url, offset: 0, error)
        }
    }

    /// Every `Object` in `namespace`, following continue tokens, and the list's resource version
    /// (where a watch must start to miss nothing).
    public func list<Object: KubernetesObject>(
        _ type: Object.Type, namespace: String?, options: ListOptions = ListOptions()
    ) async throws -> (items: [Object], resourceVersion: String) {
        var items: [Object] = []
        var token: String? = nil
        var version = ""
        repeat {
            let page = try await listPage(type, namespace: namespace, options: options, continueToken: token)
            items.append(contentsOf: page.items)
            // Every page carries the version of the snapshot the first page was read at.
            if token == nil { version = page.metadata.resourceVersion ?? "" }
            token = page.metadata.continue
        } while !(token ?? "").isEmpty
        return (items, version)
    }

    /// Why a watch ended without an error.
    public struct WatchEnd: Sendable, Hashable {
        /// How many events (bookmarks included) the watch delivered.
        public var events: Int
        /// The resource version of the last event, or the one the watch started from.
        public var resourceVersion: String
    }

    /// Watches `Object`s from `resourceVersion`, calling `handle` for each event in order, until
    /// the server closes the stream (returns) or something fails (throws).
    ///
    /// Asks for bookmarks and for the server to close after `timeoutSeconds`. Throws
    /// ``KubernetesError`` with ``KubernetesError/isGone`` when the version expired (HTTP 410 or
    /// an ERROR event carrying a 410 Status), `stalled` when nothing arrives for `stallTimeout`,
    /// and `lineTooLong` for an event over ``maximumWatchEventBytes``.
    public func watch<Object: KubernetesObject>(
        _ type: Object.Type, namespace: String?, options: ListOptions = ListOptions(), resourceVersion: String,
        timeoutSeconds: Int, stallTimeout: Duration,
        handle: @escaping @Sendable (WatchEvent<Object>) async throws -> Void
    ) async throws -> WatchEnd {
        var query = options.selectorQuery
        query += [
            ("watch", "true"), ("resourceVersion", resourceVersion), ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", String(timeoutSeconds)),
        ]
        let url = url(Object.resource, namespace: namespace, query: query)
        let lastActivity = ActivityClock()
        let request = try await request(url)
        let client = http.client(for: url)
        let limit = maximumWatchEventBytes
        return try await withThrowingTaskGroup(of: WatchEnd?.self) { group in
            group.addTask {
                let response: HTTPClientResponse
                do {
                    response = try await client.execute(request, timeout: .nanoseconds(Self.nanoseconds(stallTimeout)))
                } catch let error as HTTPClientError where error == .deadlineExceeded {
                    // No answer head within the stall timeout is a stall too.
                    throw KubernetesError.stalled(after: stallTimeout, url: url)
                }
                guard response.status == .ok else { throw await self.failure(response, url: url) }
                var splitter = WatchLineSplitter(limit: limit)
                var end = WatchEnd(events: 0, resourceVersion: resourceVersion)
                for try await buffer in response.body {
                    lastActivity.touch()
                    for (line, offset) in try splitter.append(buffer.readableBytesView, url: url) {
                        try await self.deliver(line, offset: offset, url: url, end: &end, handle: handle)
                    }
                }
                if let (line, offset) = splitter.finish() {
                    try await self.deliver(line, offset: offset, url: url, end: &end, handle: handle)
                }
                return end
            }
            group.addTask {
                // The watchdog: a stream that neither sends nor closes is treated as dead.
                while true {
                    let deadline = lastActivity.last + stallTimeout
                    if ContinuousClock.now >= deadline { throw KubernetesError.stalled(after: stallTimeout, url: url) }
                    try await Task.sleep(until: deadline)
                }
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let end = result { return end }
            }
            throw CancellationError()
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    private func deliver<Object: KubernetesObject>(
        _ line: [UInt8], offset: Int, url: String, end: inout WatchEnd,
        handle: @Sendable (WatchEvent<Object>) async throws -> Void
    ) async throws {
        let event = try Self.decodeEvent(Object.self, line, offset: offset, url: url)
        end.events += 1
        end.resourceVersion = event.resourceVersion
        try await handle(event)
    }

    private struct Envelope: Decodable {
        var type: String
    }

    private struct Typed<Value: Decodable>: Decodable {
        var object: Value
    }

    /// Decodes one watch line; ERROR events become thrown errors.
    static func decodeEvent<Object: KubernetesObject>(
        _ type: Object.Type, _ line: [UInt8], offset: Int, url: String
    ) throws(KubernetesError) -> WatchEvent<Object> {
        let data = Data(line)
        let decoder = JSONDecoder()
        let kind: String
        do {
            kind = try decoder.decode(Envelope.self, from: data).type
        } catch {
            throw .decoding("watch event", url: url, offset: offset, error)
        }
        do {
            switch kind {
            case "ADDED": return .added(try decoder.decode(Typed<Object>.self, from: data).object)
            case "MODIFIED": return .modified(try decoder.decode(Typed<Object>.self, from: data).object)
            case "DELETED": return .deleted(try decoder.decode(Typed<Object>.self, from: data).object)
            case "BOOKMARK": return .bookmark(resourceVersion: try decoder.decode(Typed<Object>.self, from: data).object.metadata.resourceVersion)
            case "ERROR":
                let status = try decoder.decode(Typed<Status>.self, from: data).object
                if status.isGone { throw KubernetesError.gone(status, url: url) }
                throw KubernetesError.httpStatus(status.code ?? 500, status, url: url)
            default:
                throw KubernetesError.decoding(
                    "watch event", url: url, offset: offset, DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown event type \(kind)")))
            }
        } catch let error as KubernetesError {
            throw error
        } catch {
            throw .decoding("\(kind) watch event", url: url, offset: offset, error)
        }
    }
}

/// When a watch last received bytes; read by its watchdog.
final class ActivityClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    /// Records activity now.
    func touch() {
        instant.withLock { $0 = .now }
    }

    /// The last activity.
    var last: ContinuousClock.Instant { instant.withLock { $0 } }
}
