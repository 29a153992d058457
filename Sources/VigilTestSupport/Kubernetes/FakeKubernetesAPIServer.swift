import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A Kubernetes API server for tests, on loopback, that speaks the real wire protocol for the
/// resources it is given: lists with `metadata.resourceVersion`, `limit` and `continue` tokens
/// (each paged list is served from one snapshot), chunked watch streams of newline-terminated
/// `{"type":…,"object":…}` events from any retained resource version, BOOKMARK events, 410 Gone
/// with a `Status` (as an HTTP answer or as an in-stream ERROR event) for versions older than the
/// last ``compact()``, `timeoutSeconds`, and label and field selectors.
///
/// Tests add, change and delete objects (JSON written as the API returns them). Single objects can be read (GET), created (POST) and replaced (PUT) with the
/// API's resourceVersion preconditions, enough for Lease-based leader election. Watches break
/// on purpose: ``closeWatches()`` ends every open stream silently, ``expireWatches()`` sends an
/// in-stream 410, ``stallNewWatches`` makes new watches send nothing and never end.
public final class FakeKubernetesAPIServer: Sendable {
    /// How a watch from a compacted resource version is refused.
    public enum ExpiredAnswer: Sendable {
        /// HTTP 410 with a Status body.
        case httpGone
        /// HTTP 200, then one ERROR event carrying a 410 Status, then the end of the stream.
        case errorEvent
    }

    struct Stored: Sendable {
        var collection: String
        var namespace: String
        var name: String
        var bytes: [UInt8]
    }

    struct Change: Sendable {
        var version: Int
        var type: String
        var object: Stored
    }

    enum WatchMessage: Sendable {
        case line([UInt8])
        case bookmark
        case expire
        case close
    }

    struct Watcher: Sendable {
        var collection: String
        var namespace: String?
        var labelSelector: String
        var fieldSelector: String
        var continuation: AsyncStream<WatchMessage>.Continuation
    }

    struct State: Sendable {
        var version = 100
        var objects: [String: [String: Stored]] = [:]
        var history: [Change] = []
        var compactedThrough = 0
        var watchers: [Int: Watcher] = [:]
        var nextWatcher = 0
        var snapshots: [Int: (version: Int, items: [Stored])] = [:]
        var nextSnapshot = 0
        var requests: [String] = []
        var authorizations: [String] = []
        var expiredAnswer = ExpiredAnswer.httpGone
        var stall = false
        var conflicts = 0
    }

    let state = Mutex(State())

    /// An empty server; start it with ``run(_:)``.
    public init() {}

    /// Serves while `body` runs with the base URL (`http://127.0.0.1:port`).
    public func run<T>(_ body: (String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("**") { request, _ in self.respond(request) }
        router.post("**") { request, _ in
            self.write(request, method: "POST", body: Array(buffer: try await request.body.collect(upTo: 1 << 20)))
        }
        router.put("**") { request, _ in
            self.write(request, method: "PUT", body: Array(buffer: try await request.body.collect(upTo: 1 << 20)))
        }
        defer { closeWatches() }
        return try await LoopbackHTTPServer.run(router) { port in try await body("http://127.0.0.1:\(port)") }
    }

    // MARK: Changing objects

    /// Creates or replaces an object given as the API's JSON (with `apiVersion`, `kind` and
    /// `metadata`); sets its resource version (and uid, creation time when absent) and tells
    /// open watches. Returns the new resource version.
    @discardableResult
    public func apply(_ json: String) throws -> Int {
        guard var object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let apiVersion = object["apiVersion"] as? String, let kind = object["kind"] as? String,
            var metadata = object["metadata"] as? [String: Any], let name = metadata["name"] as? String
        else { throw FakeAPIError("object needs apiVersion, kind and metadata.name: \(json)") }
        let collection = try Self.collection(apiVersion: apiVersion, kind: kind)
        let namespace = metadata["namespace"] as? String ?? ""
        return try state.withLock { state in
            state.version += 1
            let existed = state.objects[collection]?[Self.key(namespace, name)] != nil
            metadata["resourceVersion"] = String(state.version)
            if metadata["uid"] == nil { metadata["uid"] = "uid-\(collection.replacingOccurrences(of: "/", with: "-"))-\(namespace)-\(name)" }
            if metadata["creationTimestamp"] == nil { metadata["creationTimestamp"] = "2026-11-01T10:00:00Z" }
            object["metadata"] = metadata
            let bytes = Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
            let stored = Stored(collection: collection, namespace: namespace, name: name, bytes: bytes)
            state.objects[collection, default: [:]][Self.key(namespace, name)] = stored
            Self.record(Change(version: state.version, type: existed ? "MODIFIED" : "ADDED", object: stored), in: &state)
            return state.version
        }
    }

    /// Deletes an object; its last state (at a new resource version) goes to open watches.
    @discardableResult
    public func delete(apiVersion: String, kind: String, namespace: String = "", name: String) throws -> Int {
        let collection = try Self.collection(apiVersion: apiVersion, kind: kind)
        return try state.withLock { state in
            guard let stored = state.objects[collection]?.removeValue(forKey: Self.key(namespace, name)) else {
                throw FakeAPIError("\(kind) \(namespace)/\(name) does not exist")
            }
            state.version += 1
            var object = (try? JSONSerialization.jsonObject(with: Data(stored.bytes))) as? [String: Any] ?? [:]
            var metadata = object["metadata"] as? [String: Any] ?? [:]
            metadata["resourceVersion"] = String(state.version)
            object["metadata"] = metadata
            var last = stored
            last.bytes = Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
            Self.record(Change(version: state.version, type: "DELETED", object: last), in: &state)
            return state.version
        }
    }

    // MARK: Breaking things

    /// Forgets the change history: watches from any version before now are refused with 410.
    public func compact() {
        state.withLock { state in
            state.compactedThrough = state.version
            state.history = []
        }
    }

    /// Ends every open watch stream without an error (a silent close).
    public func closeWatches() {
        let watchers = state.withLock { state in
            defer { state.watchers = [:] }
            return Array(state.watchers.values)
        }
        for watcher in watchers {
            watcher.continuation.yield(.close)
            watcher.continuation.finish()
        }
    }

    /// Sends an ERROR event with a 410 Status to every open watch and ends it.
    public func expireWatches() {
        let watchers = state.withLock { state in
            defer { state.watchers = [:] }
            return Array(state.watchers.values)
        }
        for watcher in watchers {
            watcher.continuation.yield(.expire)
            watcher.continuation.finish()
        }
    }

    /// Sends a BOOKMARK at the current resource version to every open watch.
    public func sendBookmarks() {
        for watcher in state.withLock({ Array($0.watchers.values) }) { watcher.continuation.yield(.bookmark) }
    }

    /// How a watch from a compacted version is refused (HTTP 410 by default).
    public var expiredAnswer: ExpiredAnswer {
        get { state.withLock { $0.expiredAnswer } }
        set { state.withLock { $0.expiredAnswer = newValue } }
    }

    /// When true, new watches answer 200 and then send nothing and never end.
    public var stallNewWatches: Bool {
        get { state.withLock { $0.stall } }
        set { state.withLock { $0.stall = newValue } }
    }

    /// Every request so far: path and query, in order.
    public var requests: [String] { state.withLock { $0.requests } }

    /// The `Authorization` header of every request so far (empty when absent), in order.
    public var authorizations: [String] { state.withLock { $0.authorizations } }

    /// Watches open now.
    public var openWatches: Int { state.withLock { $0.watchers.count } }

    /// The current resource version.
    public var resourceVersion: Int { state.withLock { $0.version } }

    // MARK: Serving

    static func key(_ namespace: String, _ name: String) -> String { namespace.isEmpty ? name : "\(namespace)/\(name)" }

    private static func record(_ change: Change, in state: inout State) {
        state.history.append(change)
        let line = Self.eventLine(type: change.type, object: change.object.bytes)
        for watcher in state.watchers.values where watcher.matches(change.object) {
            watcher.continuation.yield(.line(line))
        }
    }

    static func eventLine(type: String, object: [UInt8]) -> [UInt8] {
        Array(#"{"type":"\#(type)","object":"#.utf8) + object + Array("}\n".utf8)
    }

    /// `v1` + `Pod` → `api/v1/pods`; `discovery.k8s.io/v1` + `EndpointSlice` → `apis/discovery.k8s.io/v1/endpointslices`.
    static func collection(apiVersion: String, kind: String) throws -> String {
        guard let plural = plurals[kind] else { throw FakeAPIError("unknown kind \(kind)") }
        return (apiVersion.contains("/") ? "apis/" : "api/") + apiVersion + "/" + plural
    }

    static let plurals = [
        "Pod": "pods", "Node": "nodes", "Service": "services", "Endpoints": "endpoints",
        "EndpointSlice": "endpointslices", "Ingress": "ingresses", "Namespace": "namespaces", "Event": "events",
        "Lease": "leases", "Deployment": "deployments",
    ]

    static let clusterScoped: Set<String> = ["nodes", "namespaces"]

    /// The group versions served, with their kinds, for the discovery documents.
    static let groupVersions: [(groupVersion: String, kinds: [String])] = [
        ("v1", ["Pod", "Node", "Service", "Endpoints", "Namespace", "Event"]),
        ("apps/v1", ["Deployment"]),
        ("discovery.k8s.io/v1", ["EndpointSlice"]),
        ("networking.k8s.io/v1", ["Ingress"]),
        ("coordination.k8s.io/v1", ["Lease"]),
        ("events.k8s.io/v1", ["Event"]),
    ]

    /// `/api/v1` and `/apis/<group>/<version>` (APIResourceList), `/apis/<group>` (APIGroup).
    static func discovery(_ path: String) -> Response? {
        let parts = path.split(separator: "/").map(String.init)
        let groupVersion: String
        switch (parts.first, parts.count) {
        case ("api", 2): groupVersion = parts[1]
        case ("apis", 3): groupVersion = parts[1] + "/" + parts[2]
        case ("apis", 2):
            guard let served = groupVersions.first(where: { $0.groupVersion.hasPrefix(parts[1] + "/") }) else { return nil }
            let version = #"{"groupVersion":"\#(served.groupVersion)","version":"\#(served.groupVersion.split(separator: "/")[1])"}"#
            return objectResponse(
                200, Array(#"{"kind":"APIGroup","apiVersion":"v1","name":"\#(parts[1])","versions":[\#(version)],"preferredVersion":\#(version)}"#.utf8))
        default: return nil
        }
        guard let served = groupVersions.first(where: { $0.groupVersion == groupVersion }) else { return nil }
        let resources = served.kinds.map { kind in
            let plural = plurals[kind] ?? ""
            return #"{"name":"\#(plural)","singularName":"\#(kind.lowercased())","namespaced":\#(!clusterScoped.contains(plural)),"kind":"\#(kind)","verbs":["get","list","watch"]}"#
        }
        return objectResponse(
            200, Array(#"{"kind":"APIResourceList","groupVersion":"\#(groupVersion)","resources":[\#(resources.joined(separator: ","))]}"#.utf8))
    }

    /// Splits `/api/v1/namespaces/ns/pods` into (`api/v1/pods`, `ns`).
    static func route(_ path: String) -> (collection: String, namespace: String?)? {
        var parts = path.split(separator: "/").map(String.init)
        guard let first = parts.first else { return nil }
        let prefixLength = first == "api" ? 2 : first == "apis" ? 3 : 0
        guard prefixLength > 0, parts.count > prefixLength else { return nil }
        let prefix = parts[0..<prefixLength].joined(separator: "/")
        parts.removeFirst(prefixLength)
        if parts.count == 3, parts[0] == "namespaces" { return (prefix + "/" + parts[2], parts[1]) }
        if parts.count == 1 { return (prefix + "/" + parts[0], nil) }
        return nil
    }

    func respond(_ request: Request) -> Response {
        let path = request.uri.path
        let query = request.uri.queryParameters
        state.withLock {
            $0.requests.append(path + (request.uri.query.map { "?" + $0 } ?? ""))
            $0.authorizations.append(request.headers[.authorization] ?? "")
        }
        if let document = Self.discovery(path) { return document }
        if let (collection, namespace, name) = Self.objectRoute(path) {
            return getObject(collection, namespace: namespace, name: name)
        }
        guard let (collection, namespace) = Self.route(path) else {
            return Self.status(404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        let labelSelector = query["labelSelector"].map(String.init) ?? ""
        let fieldSelector = query["fieldSelector"].map(String.init) ?? ""
        let filter = Watcher(
            collection: collection, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
            continuation: AsyncStream<WatchMessage>.makeStream().continuation)
        let watch = query["watch"].map { $0 == "true" || $0 == "1" } ?? false
        if watch {
            return self.watch(filter, from: query["resourceVersion"].map(String.init) ?? "",
                timeoutSeconds: query["timeoutSeconds"].flatMap { Int($0) })
        }
        return list(filter, limit: query["limit"].flatMap { Int($0) } ?? 0, continueToken: query["continue"].map(String.init) ?? "")
    }

    /// Splits `/apis/coordination.k8s.io/v1/namespaces/ns/leases/name` into (collection, `ns`, `name`).
    static func objectRoute(_ path: String) -> (collection: String, namespace: String, name: String)? {
        var parts = path.split(separator: "/").map(String.init)
        guard let first = parts.first, parts.count >= 2 else { return nil }
        let name = parts.removeLast()
        guard let (collection, namespace) = route(parts.joined(separator: "/")), first == "api" || first == "apis" else { return nil }
        return (collection, namespace ?? "", name)
    }

    func getObject(_ collection: String, namespace: String, name: String) -> Response {
        guard let stored = state.withLock({ $0.objects[collection]?[Self.key(namespace, name)] }) else {
            return Self.status(404, reason: "NotFound", message: "\(collection) \"\(name)\" not found")
        }
        return Self.objectResponse(200, stored.bytes)
    }

    static func objectResponse(_ code: Int, _ bytes: [UInt8]) -> Response {
        Response(
            status: .init(code: code), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// POST to a collection creates (409 AlreadyExists when taken); PUT to an object replaces it
    /// when the body's `metadata.resourceVersion` is the stored one (409 Conflict otherwise, as the
    /// real server's optimistic concurrency answers), 404 when it does not exist.
    func write(_ request: Request, method: String, body: [UInt8]) -> Response {
        let path = request.uri.path
        state.withLock {
            $0.requests.append(method + " " + path)
            $0.authorizations.append(request.headers[.authorization] ?? "")
        }
        guard var object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
            object["apiVersion"] is String, object["kind"] is String,
            var metadata = object["metadata"] as? [String: Any], let name = metadata["name"] as? String
        else {
            return Self.status(400, reason: "BadRequest", message: "Object 'Kind' is missing or the body is not an object")
        }
        let target: (collection: String, namespace: String)
        if method == "POST" {
            guard let (collection, namespace) = Self.route(path) else {
                return Self.status(404, reason: "NotFound", message: "the server could not find the requested resource")
            }
            target = (collection, namespace ?? "")
        } else {
            guard let (collection, namespace, pathName) = Self.objectRoute(path), pathName == name else {
                return Self.status(400, reason: "BadRequest", message: "the name of the object does not match the URL")
            }
            target = (collection, namespace)
        }
        metadata["namespace"] = target.namespace.isEmpty ? nil : target.namespace
        let sentVersion = metadata["resourceVersion"] as? String ?? ""
        return state.withLock { state in
            let existing = state.objects[target.collection]?[Self.key(target.namespace, name)]
            if method == "POST" && existing != nil {
                return Self.status(409, reason: "AlreadyExists", message: "\(target.collection) \"\(name)\" already exists")
            }
            if method == "PUT" {
                guard let existing else { return Self.status(404, reason: "NotFound", message: "\(target.collection) \"\(name)\" not found") }
                let stored = ((try? JSONSerialization.jsonObject(with: Data(existing.bytes))) as? [String: Any])?["metadata"] as? [String: Any]
                let current = stored?["resourceVersion"] as? String ?? ""
                if !sentVersion.isEmpty && sentVersion != current {
                    state.conflicts += 1
                    return Self.status(
                        409, reason: "Conflict",
                        message: "Operation cannot be fulfilled on \(target.collection) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again")
                }
                metadata["uid"] = stored?["uid"]
                metadata["creationTimestamp"] = stored?["creationTimestamp"]
            }
            state.version += 1
            metadata["resourceVersion"] = String(state.version)
            if metadata["uid"] == nil { metadata["uid"] = "uid-\(target.collection.replacingOccurrences(of: "/", with: "-"))-\(target.namespace)-\(name)" }
            if metadata["creationTimestamp"] == nil { metadata["creationTimestamp"] = "2026-11-01T10:00:00Z" }
            object["metadata"] = metadata
            let bytes = Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
            let stored = Stored(collection: target.collection, namespace: target.namespace, name: name, bytes: bytes)
            state.objects[target.collection, default: [:]][Self.key(target.namespace, name)] = stored
            Self.record(Change(version: state.version, type: existing == nil ? "ADDED" : "MODIFIED", object: stored), in: &state)
            return Self.objectResponse(method == "POST" ? 201 : 200, bytes)
        }
    }

    /// The stored object `name` as its JSON fields, nil when absent; for tests to inspect writes.
    public func object(apiVersion: String, kind: String, namespace: String = "", name: String) throws -> [String: Any]? {
        let collection = try Self.collection(apiVersion: apiVersion, kind: kind)
        guard let stored = state.withLock({ $0.objects[collection]?[Self.key(namespace, name)] }) else { return nil }
        return (try JSONSerialization.jsonObject(with: Data(stored.bytes))) as? [String: Any]
    }

    /// How many writes were refused with 409 Conflict.
    public var conflicts: Int { state.withLock { $0.conflicts } }

    func list(_ filter: Watcher, limit: Int, continueToken: String) -> Response {
        let (page, version, next, remaining): ([Stored], Int, String?, Int)
        do {
            (page, version, next, remaining) = try state.withLock { state throws -> ([Stored], Int, String?, Int) in
                var items: [Stored]
                var version: Int
                var offset = 0
                var snapshotID: Int
                if continueToken.isEmpty {
                    items = (state.objects[filter.collection] ?? [:]).values.filter { filter.matches($0) }
                        .sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
                    version = state.version
                    snapshotID = state.nextSnapshot
                    if limit > 0 && items.count > limit {
                        state.nextSnapshot += 1
                        state.snapshots[snapshotID] = (version, items)
                    }
                } else {
                    let parts = continueToken.split(separator: "-").compactMap { Int($0) }
                    guard parts.count == 2, let snapshot = state.snapshots[parts[0]] else {
                        throw FakeAPIError("invalid continue token")
                    }
                    snapshotID = parts[0]
                    offset = parts[1]
                    (version, items) = snapshot
                }
                let end = limit > 0 ? min(items.count, offset + limit) : items.count
                let page = Array(items[offset..<end])
                let next = end < items.count ? "\(snapshotID)-\(end)" : nil
                return (page, version, next, items.count - end)
            }
        } catch {
            return Self.status(410, reason: "Expired", message: "The provided continue parameter is too old")
        }
        let kind = Self.listKind(filter.collection)
        var body = Array(#"{"kind":"\#(kind.kind)","apiVersion":"\#(kind.apiVersion)","metadata":{"resourceVersion":"\#(version)""#.utf8)
        if let next { body += Array(#","continue":"\#(next)","remainingItemCount":\#(remaining)"#.utf8) }
        body += Array(#"},"items":["#.utf8)
        for (index, item) in page.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body += Self.withoutTypeMeta(item.bytes)
        }
        body += Array("]}".utf8)
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// List items come without `kind` and `apiVersion`, as the real server writes them.
    static func withoutTypeMeta(_ bytes: [UInt8]) -> [UInt8] {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else { return bytes }
        object["kind"] = nil
        object["apiVersion"] = nil
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(bytes))
    }

    static func listKind(_ collection: String) -> (kind: String, apiVersion: String) {
        let kinds = [
            "pods": "Pod", "nodes": "Node", "services": "Service", "endpoints": "Endpoints",
            "endpointslices": "EndpointSlice", "ingresses": "Ingress", "namespaces": "Namespace", "events": "Event",
            "leases": "Lease", "deployments": "Deployment",
        ]
        let parts = collection.split(separator: "/")
        let apiVersion = parts.dropFirst().dropLast().joined(separator: "/")
        return ((kinds[String(parts.last ?? "")] ?? "Object") + "List", apiVersion)
    }

    static func statusJSON(_ code: Int, reason: String, message rawMessage: String) -> [UInt8] {
        let message = rawMessage.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return Array(
            #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"\#(message)","reason":"\#(reason)","code":\#(code)}"#
                .utf8)
    }

    static func status(_ code: Int, reason: String, message: String) -> Response {
        Response(
            status: .init(code: code), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: statusJSON(code, reason: reason, message: message))))
    }

    func watch(_ filter: Watcher, from versionText: String, timeoutSeconds: Int?) -> Response {
        let (stream, continuation) = AsyncStream.makeStream(of: WatchMessage.self)
        var watcher = filter
        watcher.continuation = continuation
        let start = Int(versionText) ?? 0
        enum Plan { case stall, expired(current: Int), serve(backlog: [[UInt8]], id: Int) }
        let (plan, expiredAnswer): (Plan, ExpiredAnswer) = state.withLock { state in
            if state.stall { return (.stall, state.expiredAnswer) }
            if start != 0 && start < state.compactedThrough { return (.expired(current: state.version), state.expiredAnswer) }
            var backlog: [[UInt8]] = []
            if start == 0 {
                // No version: synthetic ADDED events for what exists, then changes.
                for stored in (state.objects[filter.collection] ?? [:]).values.sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) })
                where filter.matches(stored) {
                    backlog.append(Self.eventLine(type: "ADDED", object: stored.bytes))
                }
            } else {
                for change in state.history where change.version > start && filter.matches(change.object) {
                    backlog.append(Self.eventLine(type: change.type, object: change.object.bytes))
                }
            }
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[id] = watcher
            return (.serve(backlog: backlog, id: id), state.expiredAnswer)
        }
        let kind = Self.listKind(filter.collection)
        let headers: HTTPFields = [.contentType: "application/json", .transferEncoding: "chunked"]
        switch plan {
        case .stall:
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                // Headers go out; then nothing, until the client gives up.
                try await writer.write(ByteBuffer())
                while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
                try await writer.finish(nil)
            })
        case .expired(let current):
            let message = "too old resource version: \(start) (\(current))"
            switch expiredAnswer {
            case .httpGone:
                return Self.status(410, reason: "Expired", message: message)
            case .errorEvent:
                let line = Self.eventLine(type: "ERROR", object: Self.statusJSON(410, reason: "Expired", message: message))
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: line)))
            }
        case .serve(let backlog, let id):
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                defer { self.state.withLock { _ = $0.watchers.removeValue(forKey: id) } }
                for line in backlog { try await writer.write(ByteBuffer(bytes: line)) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    if let timeoutSeconds, timeoutSeconds > 0 {
                        group.addTask {
                            try await Task.sleep(for: .seconds(timeoutSeconds))
                            continuation.yield(.close)
                        }
                    }
                    loop: for await message in stream {
                        switch message {
                        case .line(let line):
                            try await writer.write(ByteBuffer(bytes: line))
                        case .bookmark:
                            let version = self.resourceVersion
                            let object = #"{"kind":"\#(kind.kind.dropLast(4))","apiVersion":"\#(kind.apiVersion)","metadata":{"resourceVersion":"\#(version)","creationTimestamp":null}}"#
                            try await writer.write(ByteBuffer(bytes: Self.eventLine(type: "BOOKMARK", object: Array(object.utf8))))
                        case .expire:
                            let message = "too old resource version: \(start) (\(self.resourceVersion))"
                            let line = Self.eventLine(type: "ERROR", object: Self.statusJSON(410, reason: "Expired", message: message))
                            try await writer.write(ByteBuffer(bytes: line))
                            break loop
                        case .close:
                            break loop
                        }
                    }
                    group.cancelAll()
                }
                try await writer.finish(nil)
            })
        }
    }
}

extension FakeKubernetesAPIServer.Watcher {
    /// Whether a stored object is in this watch's collection, namespace and selectors.
    func matches(_ stored: FakeKubernetesAPIServer.Stored) -> Bool {
        guard stored.collection == collection else { return false }
        if let namespace, stored.namespace != namespace { return false }
        if labelSelector.isEmpty && fieldSelector.isEmpty { return true }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(stored.bytes))) as? [String: Any] else { return false }
        let labels = (object["metadata"] as? [String: Any])?["labels"] as? [String: String] ?? [:]
        for requirement in labelSelector.split(separator: ",") where !requirement.isEmpty {
            if let range = requirement.range(of: "!=") {
                if labels[String(requirement[..<range.lowerBound])] == String(requirement[range.upperBound...]) { return false }
            } else if let range = requirement.range(of: "=") {
                let value = requirement[range.upperBound...].drop { $0 == "=" }
                if labels[String(requirement[..<range.lowerBound])] != String(value) { return false }
            } else if requirement.hasPrefix("!") {
                if labels[String(requirement.dropFirst())] != nil { return false }
            } else if labels[String(requirement)] == nil {
                return false
            }
        }
        for requirement in fieldSelector.split(separator: ",") where !requirement.isEmpty {
            let negated = requirement.contains("!=")
            let parts = requirement.components(separatedBy: negated ? "!=" : "=").filter { !$0.isEmpty }
            guard parts.count == 2 else { return false }
            var value: Any? = object
            for step in parts[0].split(separator: ".") { value = (value as? [String: Any])?[String(step)] }
            let actual = value as? String ?? ""
            if (actual == parts[1]) == negated { return false }
        }
        return true
    }
}

/// A fake API server misuse (unknown kind, missing object) in a test.
public struct FakeAPIError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
