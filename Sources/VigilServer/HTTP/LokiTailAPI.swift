import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import VigilLogQL
import VigilLogStore
import VigilModel

/// Loki's `GET /loki/api/v1/tail`: a WebSocket that first sends the newest `limit` lines since
/// `start`, then every newly pushed line the query's pipeline passes, in Loki's tail frames
/// (`{"streams":[…],"dropped_entries":…}`).
///
/// Bad parameters are refused before the upgrade with a plain-text 400, as Loki's
/// `ParseTailQuery` does; failures after the upgrade close the socket with code 1011 and the
/// reason, as Loki's tail handler does. Per-connection memory is bounded by the subscription's
/// batch buffer: a reader that falls further behind loses the oldest batches, reported in the
/// next frame's `dropped_entries`.
struct LokiTailAPI: Sendable {
    let lokiAPI: LokiAPI
    let limits: LogQLLimits
    let slots: TailSlots

    /// Loki's `max_concurrent_tail_requests` default.
    static let defaultMaxConcurrentTails = 10
    /// Loki's ceiling on `delay_for`, in seconds.
    static let maxDelayFor = 5
    /// Batches a connection may fall behind by before the oldest are dropped.
    static let subscriptionBuffer = 256
    /// Largest client message read (clients send nothing meaningful; this only bounds memory).
    static let maxInboundMessage = 4 * 1024

    init(lokiAPI: LokiAPI, limits: LogQLLimits, maxConcurrentTails: Int = defaultMaxConcurrentTails) {
        self.lokiAPI = lokiAPI
        self.limits = limits
        self.slots = TailSlots(limit: maxConcurrentTails)
    }

    /// One tail request's parameters, validated.
    struct TailRequest: Sendable {
        var filter: LogTailFilter
        var query: String
        var tenant: String
        var limit: Int
        var start: Int64
        var delayFor: Int
    }

    /// Parses `request` the way Loki's `ParseTailQuery` does.
    func parse(_ request: HTTPRequest) throws -> TailRequest {
        let parameters = URI(request.path ?? "").queryParameters
        func value(_ name: String) -> String? { parameters[name[...]].map(String.init) }
        guard let query = value("query"), !query.isEmpty else { throw LokiRequestError("query parameter is required") }
        let filter = try LogTailFilter(query: query)
        var limit = LokiAPI.defaultLimit
        if let text = value("limit"), !text.isEmpty {
            guard let parsed = Int(text) else { throw LokiRequestError("invalid limit \(GoQuote.quote(text)): expected an integer") }
            guard parsed > 0 else { throw LokiRequestError("limit must be a positive value") }
            limit = parsed
        }
        guard limit <= limits.maxEntriesPerQuery else {
            throw LokiRequestError("max entries limit per query exceeded, limit > max_entries_limit (\(limit) > \(limits.maxEntriesPerQuery))")
        }
        let start = try LokiAPI.time(value("start"), name: "start") ?? (lokiAPI.clock() - LokiAPI.defaultRangeLookback)
        var delayFor = 0
        if let text = value("delay_for"), !text.isEmpty {
            guard let parsed = Int(text), parsed >= 0 else { throw LokiRequestError("invalid delay_for \(GoQuote.quote(text))") }
            guard parsed <= Self.maxDelayFor else { throw LokiRequestError("delay_for can't be greater than \(Self.maxDelayFor)") }
            delayFor = parsed
        }
        var tenant = lokiAPI.store.options.defaultTenant
        if let header = request.headerFields[HTTPField.Name("X-Scope-OrgID")!] { tenant = try LokiAPI.validTenant(header) }
        return TailRequest(filter: filter, query: query, tenant: tenant, limit: limit, start: start, delayFor: delayFor)
    }

    /// The plain HTTP route: a request without an upgrade, or one whose parameters were refused
    /// before the upgrade, is answered 400 with the reason.
    func register(on router: Router<BasicRequestContext>) {
        router.get("/loki/api/v1/tail") { request, _ in
            do {
                _ = try parse(request.head)
                return PlainText.response(.badRequest, "websocket: the client is not using the websocket protocol: 'upgrade' token not found in 'Connection' header\n")
            } catch let error as LogQLParseError {
                return PlainText.response(.badRequest, error.description + "\n")
            } catch let error as LokiRequestError {
                return PlainText.response(.badRequest, error.message + "\n")
            } catch {
                return PlainText.response(.badRequest, "\(error)\n")
            }
        }
    }

    /// The upgrade decision for the HTTP server: upgrades a valid tail request, leaves every
    /// other request to the router.
    func shouldUpgrade(_ head: HTTPRequest, logger: Logger)
        -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>>
    {
        guard head.method == .get, URI(head.path ?? "").path == "/loki/api/v1/tail",
            let request = try? parse(head)
        else { return .dontUpgrade }
        return .upgrade([:]) { inbound, outbound, _ in
            await serve(request, inbound: inbound, outbound: outbound, logger: logger)
        }
    }

    private func serve(
        _ request: TailRequest, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger
    ) async {
        guard let slot = slots.acquire() else {
            try? await outbound.close(
                .unexpectedServerError,
                reason: "max concurrent tail requests limit exceeded, count > limit (\(slots.limit + 1) > \(slots.limit))")
            return
        }
        defer { slots.release(slot) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Ends when the client closes (or sends more than a small control message).
                group.addTask {
                    for try await _ in inbound.messages(maxSize: Self.maxInboundMessage) {}
                }
                group.addTask {
                    try await stream(request, outbound: outbound)
                    // The store closed: tell the client why the tail ended.
                    try await outbound.close(.goingAway, reason: "log store closed")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch is CancellationError {
        } catch {
            logger.warning("Loki tail ended with an error", metadata: ["err": "\(error)", "query": "\(request.query)"])
            let reason = (error as? LogQLEngineError)?.message ?? "\(error)"
            // A close reason must fit a control frame (125 bytes with the code).
            try? await outbound.close(.unexpectedServerError, reason: String(reason.utf8.prefix(120)) ?? "tail failed")
        }
    }

    /// History then live lines, until the store closes or the task is cancelled.
    private func stream(_ request: TailRequest, outbound: WebSocketOutboundWriter) async throws {
        // Subscribing before reading history means no line pushed in between is missed.
        let (batches, drops) = lokiAPI.store.subscribeCountingDrops(tenant: request.tenant, buffer: Self.subscriptionBuffer)
        let engine = LogQLEngine(source: lokiAPI.store.source(tenant: request.tenant), limits: limits)
        let end = lokiAPI.clock() + 1
        if end > request.start {
            let history = try await engine.rangeQuery(
                request.query, start: request.start, end: end, step: 1_000_000_000, limit: request.limit, direction: .backward)
            if case .streams(var streams) = history.result, !streams.isEmpty {
                for index in streams.indices { streams[index].entries.sort { $0.timestamp < $1.timestamp } }
                try await outbound.writeTextMessage(String(decoding: LokiResponseEncoder.encodeTail(streams: streams), as: UTF8.self))
            }
        }
        let clock = ContinuousClock()
        for await batch in batches {
            let arrived = clock.now
            let streams = request.filter.apply(batch)
            let dropped = drops.take()
            guard !streams.isEmpty || !dropped.isEmpty else { continue }
            // `delay_for` holds each line back so late, out-of-order pushes can still arrive.
            if request.delayFor > 0 { try await Task.sleep(until: arrived.advanced(by: .seconds(request.delayFor)), clock: clock) }
            let frame = LokiResponseEncoder.encodeTail(streams: streams, dropped: dropped)
            try await outbound.writeTextMessage(String(decoding: frame, as: UTF8.self))
        }
        try Task.checkCancellation()
    }
}

/// Counts open tails against Loki's `max_concurrent_tail_requests`.
final class TailSlots: Sendable {
    let limit: Int
    private let open = Mutex(0)

    init(limit: Int) { self.limit = limit }

    /// A slot, or nil when `limit` tails are already open.
    func acquire() -> Int? {
        open.withLock { open in
            guard open < limit else { return nil }
            open += 1
            return open
        }
    }

    func release(_: Int) { open.withLock { $0 -= 1 } }

    /// Tails open now.
    var count: Int { open.withLock { $0 } }
}
