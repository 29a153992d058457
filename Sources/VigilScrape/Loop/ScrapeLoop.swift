import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import VigilConfig
import VigilExposition
import VigilHTTPClient
import VigilModel
import VigilTSDB

/// Scrapes one target on its interval and appends what it finds, with Prometheus's report series
/// and staleness markers.
///
/// Everything a scrape does runs on one NIO event loop: the timer, the HTTP exchange (the
/// connection lives on the same loop), the parse and the append. A scrape therefore wakes no other
/// thread, which is most of what scraping costs beyond the parse itself. The series cache (raw
/// series text → labels and handle) is confined to that loop; what the API reads (status,
/// metadata) and what a reload changes (settings, client) sit behind a mutex touched once per scrape.
public final class ScrapeLoop: Sendable {
    /// The target this loop scrapes.
    public let target: ScrapeTarget
    private let tsdb: TSDB
    private let logger: Logger
    private let shared: Mutex<Shared>
    private let eventLoop: any EventLoop
    private let confined: NIOLoopBoundBox<Confined>
    private let timeoutHeader: String

    struct Shared {
        var settings: ScrapeSettings
        var client: ConfiguredHTTPClient
        var status = TargetStatus()
        var metadata: [MetricMetadata] = []
        var failure: String? = nil
    }

    /// What only the event loop touches.
    struct Confined {
        var state: LoopState
        var started = false
        /// The request as last sent: its URL is parsed once, its headers refreshed per scrape.
        var request: HTTPClient.Request?
        var timer: Scheduled<Void>?
        /// Cancels the fetch in flight; nil when none is.
        var cancelFetch: (() -> Void)?
        /// The direct connection for a plain-`http` target (``ScrapeConnection``).
        var connection: ScrapeConnection?
        /// Set once the target redirected: from then on it is fetched through AsyncHTTPClient.
        var redirects = false
        /// The proxy the target's URL goes through (nil: none), as chosen for the client it was
        /// chosen with; chosen again when a reload brings another client.
        var route: (client: ConfiguredHTTPClient, proxy: ProxySelector.Proxy?)?
        var stopMode: StopMode?
        var stopped = false
        var stopWaiters: [EventLoopPromise<Void>] = []
    }

    enum StopMode {
        /// Shutdown or a reload that replaces the loop: no markers.
        case quietly
        /// The target went away: mark its series stale.
        case markingStale
    }

    init(target: ScrapeTarget, settings: ScrapeSettings, client: ConfiguredHTTPClient, tsdb: TSDB, logger: Logger) {
        self.target = target
        self.tsdb = tsdb
        var logger = logger
        logger[metadataKey: "target"] = "\(target.url)"
        self.logger = logger
        shared = Mutex(Shared(settings: settings, client: client))
        timeoutHeader = GoFloat.format(target.timeout.seconds)
        let eventLoop = client.client.eventLoopGroup.next()
        self.eventLoop = eventLoop
        confined = NIOLoopBoundBox.makeBoxSendingValue(Confined(state: LoopState(target: target)), eventLoop: eventLoop)
    }

    /// The target's health, last error and timings.
    public var status: TargetStatus { shared.withLock { $0.status } }

    /// The metadata of the metric families the last successful scrape exposed.
    public var metadata: [MetricMetadata] { shared.withLock { $0.metadata } }

    /// Applies new settings and client from the next scrape on.
    func update(settings: ScrapeSettings, client: ConfiguredHTTPClient) {
        shared.withLock {
            $0.settings = settings
            $0.client = client
        }
    }

    /// Makes every scrape fail with `message` until cleared (the pool's `target_limit`).
    func setForcedFailure(_ message: String?) {
        shared.withLock { $0.failure = message }
    }

    /// Starts scraping at the target's offset in its interval, as Prometheus pins each target:
    /// scrapes happen when wall time ≡ offset (mod interval).
    func start() {
        eventLoop.execute { [self] in
            guard !confined.value.started, confined.value.stopMode == nil else { return }
            confined.value.started = true
            let intervalMS = target.interval.milliseconds
            let offset = Int64(target.hash % UInt64(intervalMS))
            let now = Timestamps.now()
            var wait = ((offset - now % intervalMS) % intervalMS + intervalMS) % intervalMS
            if wait == 0 { wait = intervalMS }
            schedule(at: .now() + .milliseconds(wait), intended: now + wait)
        }
    }

    /// Stops the loop and waits for it; with `markStale` its series get stale markers now. A
    /// scrape in flight is cancelled and records nothing.
    func stop(markStale: Bool) async {
        let stopped = eventLoop.makePromise(of: Void.self)
        eventLoop.execute { [self] in
            if !confined.value.stopped { confined.value.stopMode = markStale ? .markingStale : .quietly }
            confined.value.stopWaiters.append(stopped)
            confined.value.timer?.cancel()
            confined.value.timer = nil
            if let cancelFetch = confined.value.cancelFetch {
                cancelFetch() // the fetch's completion finishes the stop
            } else {
                finishStop()
            }
        }
        try? await stopped.futureResult.get()
    }

    /// One scrape: fetch, append, report. Internal so tests can drive a loop step by step.
    func scrapeOnce() async {
        let done = eventLoop.makePromise(of: Void.self)
        eventLoop.execute { [self] in scrape(intended: nil) { done.succeed() } }
        try? await done.futureResult.get()
    }

    /// Scrapes at `deadline`, the tick standing for wall-clock time `intended`, then schedules
    /// the next tick.
    private func schedule(at deadline: NIODeadline, intended: Timestamp) {
        let intervalMS = target.interval.milliseconds
        let interval = TimeAmount.milliseconds(intervalMS)
        confined.value.timer = eventLoop.scheduleTask(deadline: deadline) { [self] in
            confined.value.timer = nil
            scrape(intended: intended) { [self] in
                guard confined.value.stopMode == nil else { return }
                var next = deadline + interval
                var nextIntended = intended + intervalMS
                let now = NIODeadline.now()
                while next <= now {
                    next = next + interval
                    nextIntended += intervalMS
                }
                schedule(at: next, intended: nextIntended)
            }
        }
    }

    /// Prometheus's `--scrape.timestamp-tolerance`: a scrape this close to its tick's time is
    /// stamped with that time.
    static let timestampToleranceMS: Int64 = 2

    /// The timestamp of a scrape started at `now` for the tick standing for `intended`: as
    /// Prometheus (`--scrape.adjust-timestamps`, on by default) does, the tick's own time when
    /// the two are within ``timestampToleranceMS`` and the interval is over 100 times that. Timer
    /// jitter of a millisecond or two would otherwise break the equal spacing that lets a chunk
    /// store each timestamp in one bit (and decode it fastest).
    static func scrapeTimestamp(now: Timestamp, intended: Timestamp?, intervalMS: Int64) -> Timestamp {
        guard let intended, intervalMS > 100 * timestampToleranceMS, abs(now - intended) <= timestampToleranceMS else {
            return now
        }
        return intended
    }

    /// Runs one scrape on the event loop and calls `done` there once it is recorded (or dropped,
    /// when the loop stopped meanwhile).
    /// `intended` is the wall-clock time of the timer's tick (nil for a scrape outside the ticks).
    private func scrape(intended: Timestamp?, then done: @escaping @Sendable () -> Void) {
        guard confined.value.stopMode == nil else { return done() }
        let (settings, client, forced) = shared.withLock { ($0.settings, $0.client, $0.failure) }
        let started = NIODeadline.now()
        let scrapeTime = Self.scrapeTimestamp(now: Timestamps.now(), intended: intended, intervalMS: target.interval.milliseconds)
        if let forced {
            record(.failure(ScrapeFetchError(message: forced)), settings: settings, started: started, scrapeTime: scrapeTime)
            return done()
        }
        let url = target.url
        let address = target.labels["__address__"] ?? ""
        let deadline = started + .milliseconds(target.timeout.milliseconds)
        let headers: HTTPHeaders
        do {
            var prepared = try client.requestHeaders()
            prepared.replaceOrAdd(name: "Accept", value: settings.acceptHeader)
            prepared.replaceOrAdd(name: "Accept-Encoding", value: settings.enableCompression ? "gzip" : "identity")
            prepared.replaceOrAdd(name: "User-Agent", value: "Vigil")
            prepared.replaceOrAdd(name: "X-Prometheus-Scrape-Timeout-Seconds", value: timeoutHeader)
            headers = prepared
        } catch {
            record(.failure(ScrapeFetchError(message: "\(error)")), settings: settings, started: started, scrapeTime: scrapeTime)
            return done()
        }
        let finish: @Sendable (Result<ScrapeResponse, any Error>) -> Void = { [self] result in
            confined.value.cancelFetch = nil
            if confined.value.stopMode != nil {
                // A loop being stopped records nothing: the cancelled fetch is not a failed scrape.
                finishStop()
                return done()
            }
            let fetched = result.mapError { error in
                ScrapeFetchError(message: ScrapeFetchError.message(for: error, url: url, address: address))
            }
            record(fetched, settings: settings, started: started, scrapeTime: scrapeTime)
            done()
        }
        let proxy = route(through: client)
        if let connection = directConnection(proxy: proxy) {
            confined.value.cancelFetch = { connection.close() }
            connection.fetch(
                headers: headers, limit: settings.bodySizeLimit, followRedirects: client.config.followRedirects, deadline: deadline
            ).whenComplete { [self] result in
                switch result {
                case .success(.response(let response)):
                    finish(.success(response))
                case .success(.redirect):
                    confined.value.redirects = true
                    confined.value.connection = nil
                    fetchThroughClient(
                        client.client(through: proxy), headers: headers, limit: settings.bodySizeLimit, deadline: deadline, then: finish)
                case .failure(let error):
                    finish(.failure(error))
                }
            }
        } else {
            fetchThroughClient(
                client.client(through: proxy), headers: headers, limit: settings.bodySizeLimit, deadline: deadline, then: finish)
        }
    }

    /// The proxy for the target's URL under `client`'s proxy settings; nil for none.
    private func route(through client: ConfiguredHTTPClient) -> ProxySelector.Proxy? {
        // Held, not just identified: a freed client's address may come back for the next one.
        if let route = confined.value.route, route.client === client { return route.proxy }
        let proxy = client.proxySelector.proxy(for: target.url)
        confined.value.route = (client, proxy)
        return proxy
    }

    /// The loop's own connection when the target can be fetched without AsyncHTTPClient: plain
    /// `http`, straight or through an `http` proxy, no redirect seen so far.
    private func directConnection(proxy: ProxySelector.Proxy?) -> ScrapeConnection? {
        guard !confined.value.redirects, let endpoint = ScrapeConnection.Endpoint(url: target.url, proxy: proxy) else {
            confined.value.connection?.close()
            confined.value.connection = nil
            return nil
        }
        if let connection = confined.value.connection {
            // A reload may have changed the proxy.
            if connection.endpoint == endpoint { return connection }
            connection.close()
        }
        let connection = ScrapeConnection(endpoint: endpoint, eventLoop: eventLoop)
        confined.value.connection = connection
        return connection
    }

    /// Fetches through AsyncHTTPClient (TLS, proxies, redirects), the connection on this loop.
    private func fetchThroughClient(
        _ client: HTTPClient, headers: HTTPHeaders, limit: Int, deadline: NIODeadline,
        then finish: @escaping @Sendable (Result<ScrapeResponse, any Error>) -> Void
    ) {
        let task: HTTPClient.Task<ScrapeResponse>
        do {
            var request = try confined.value.request ?? HTTPClient.Request(url: target.url)
            request.headers = headers
            confined.value.request = request
            task = client.execute(
                request: request, delegate: ScrapeBodyCollector(limit: limit), eventLoop: .delegateAndChannel(on: eventLoop),
                deadline: deadline)
        } catch {
            return finish(.failure(error))
        }
        confined.value.cancelFetch = { task.cancel() }
        task.futureResult.hop(to: eventLoop).whenComplete { result in finish(result.mapError { $0 }) }
    }

    /// Appends what a fetch produced (or its failure's stale markers) with the report series in
    /// one commit, then publishes the target's status.
    private func record(
        _ fetched: Result<ScrapeResponse, ScrapeFetchError>, settings: ScrapeSettings, started: NIODeadline, scrapeTime: Timestamp
    ) {
        var outcome: ScrapeOutcome
        // One commit per scrape: the samples, stale markers and report series together.
        var appender = tsdb.appender()
        switch fetched {
        case .success(let response):
            outcome = confined.value.state.ingest(
                body: response.body, contentType: response.contentType, settings: settings, scrapeTime: scrapeTime,
                appender: &appender)
        case .failure(let error):
            outcome = ScrapeOutcome(error: error.message)
        }
        if outcome.error != nil {
            confined.value.state.staleAfterFailure(appender: &appender, at: scrapeTime)
        }
        let duration = Double((NIODeadline.now() - started).nanoseconds) / 1e9
        confined.value.state.report(outcome: outcome, duration: duration, at: scrapeTime, appender: &appender, logger: logger)
        do {
            try appender.commit(durable: false)
        } catch {
            outcome.error = outcome.error ?? "\(error)"
            logger.warning("Storing the scrape failed", metadata: ["err": "\(error)"])
        }
        shared.withLock {
            $0.status.health = outcome.error == nil ? .up : .down
            $0.status.lastError = outcome.error ?? ""
            $0.status.lastScrape = scrapeTime
            $0.status.lastScrapeDuration = duration
            if let metadata = outcome.metadata {
                if outcome.metadataComplete {
                    $0.metadata = metadata
                } else {
                    // A scrape cut short updates the families it reached and keeps the others.
                    var merged = $0.metadata
                    for entry in metadata {
                        if let index = merged.firstIndex(where: { $0.metric == entry.metric }) {
                            merged[index] = entry
                        } else {
                            merged.append(entry)
                        }
                    }
                    $0.metadata = merged
                }
            }
        }
        if let error = outcome.error {
            logger.debug("Scrape failed", metadata: ["err": "\(error)"])
        }
    }

    /// Completes a stop once no scrape is in flight: stale markers if asked, then the waiters.
    private func finishStop() {
        if !confined.value.stopped {
            confined.value.stopped = true
            if confined.value.stopMode == .markingStale {
                confined.value.state.markAllStale(tsdb: tsdb, at: Timestamps.now(), logger: logger)
            }
        }
        confined.value.connection?.close()
        confined.value.connection = nil
        let waiters = confined.value.stopWaiters
        confined.value.stopWaiters = []
        for waiter in waiters { waiter.succeed() }
    }
}

/// What one scrape produced, for the report series and the target's status.
struct ScrapeOutcome {
    var error: String?
    var scraped = 0
    var postRelabel = 0
    var seriesAdded = 0
    var metadata: [MetricMetadata]? = nil
    /// Whether the parse reached the end, so ``metadata`` is the target's whole set.
    var metadataComplete = false

    init(error: String? = nil) {
        self.error = error
    }
}
