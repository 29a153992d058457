import AsyncHTTPClient
public import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import VigilConfig
import VigilExposition
import VigilHTTPClient
public import VigilModel
public import VigilTSDB

/// Scrapes one target on its interval and appends what it finds, with Prometheus's report series
/// and staleness markers.
///
/// The loop runs in a task the pool owns. Its series cache (raw series text → labels and ref)
/// lives inside that task, so the hot path takes no lock; what the API reads (status, metadata)
/// and what a reload changes (settings, client) sit behind a mutex touched once per scrape.
public final class ScrapeLoop: Sendable {
    /// The target this loop scrapes.
    public let target: ScrapeTarget
    private let tsdb: TSDB
    private let logger: Logger
    private let shared: Mutex<Shared>
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let stopRequest = Mutex<StopMode?>(nil)

    struct Shared {
        var settings: ScrapeSettings
        var client: ConfiguredHTTPClient
        var status = TargetStatus()
        var metadata: [MetricMetadata] = []
        var failure: String? = nil
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

    /// Starts scraping at the target's offset in its interval.
    func start() {
        task.withLock { task in
            guard task == nil else { return }
            task = Task { [self] in await self.run() }
        }
    }

    /// Stops the loop and waits for it; with `markStale` its series get stale markers now.
    func stop(markStale: Bool) async {
        stopRequest.withLock { $0 = markStale ? .markingStale : .quietly }
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
    }

    private func run() async {
        var state = LoopState(target: target)
        let interval = Duration.milliseconds(target.interval.milliseconds)
        let offset = Int64(target.hash % UInt64(target.interval.milliseconds))
        // Scrape when wall time ≡ offset (mod interval), as Prometheus pins each target.
        let nowWall = Timestamps.now()
        let intervalMS = target.interval.milliseconds
        var wait = ((offset - nowWall % intervalMS) % intervalMS + intervalMS) % intervalMS
        if wait == 0 { wait = intervalMS }
        var next = ContinuousClock.now + .milliseconds(wait)
        while !Task.isCancelled {
            do {
                try await Task.sleep(until: next, clock: .continuous)
            } catch {
                break
            }
            await scrapeOnce(&state)
            next += interval
            let now = ContinuousClock.now
            while next <= now { next += interval }
        }
        if stopRequest.withLock({ $0 }) == .markingStale {
            state.markAllStale(tsdb: tsdb, at: Timestamps.now(), logger: logger)
        }
    }

    /// One scrape: fetch, append, report. Internal so tests can drive a loop step by step.
    func scrapeOnce(_ state: inout LoopState) async {
        let (settings, client, forced) = shared.withLock { ($0.settings, $0.client, $0.failure) }
        let started = ContinuousClock.now
        let scrapeTime = Timestamps.now()
        var outcome: ScrapeOutcome
        // One commit per scrape: the samples, stale markers and report series together.
        var appender = tsdb.appender()
        if let forced {
            outcome = ScrapeOutcome(error: forced)
        } else {
            let fetched = await fetch(client: client, settings: settings)
            // A loop being stopped records nothing: the cancelled fetch is not a failed scrape.
            if Task.isCancelled { return }
            switch fetched {
            case .success(let (body, contentType)):
                outcome = state.ingest(
                    body: body, contentType: contentType, settings: settings, scrapeTime: scrapeTime, appender: &appender)
            case .failure(let error):
                outcome = ScrapeOutcome(error: error.message)
            }
        }
        if outcome.error != nil {
            state.staleAfterFailure(appender: &appender, at: scrapeTime)
        }
        let elapsed = ContinuousClock.now - started
        let duration = Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
        state.report(outcome: outcome, duration: duration, at: scrapeTime, appender: &appender, logger: logger)
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

    private func fetch(
        client: ConfiguredHTTPClient, settings: ScrapeSettings
    ) async -> Result<(ByteBuffer, String?), ScrapeFetchError> {
        var request = HTTPClientRequest(url: target.url)
        do {
            request.headers = try client.requestHeaders()
        } catch {
            return .failure(ScrapeFetchError(message: "\(error)"))
        }
        request.headers.replaceOrAdd(name: "Accept", value: settings.acceptHeader)
        request.headers.replaceOrAdd(name: "Accept-Encoding", value: settings.enableCompression ? "gzip" : "identity")
        request.headers.replaceOrAdd(name: "User-Agent", value: "Vigil")
        request.headers.replaceOrAdd(
            name: "X-Prometheus-Scrape-Timeout-Seconds", value: GoFloat.format(target.timeout.seconds))
        let timeoutMilliseconds = target.timeout.milliseconds
        let timeout = Duration.milliseconds(timeoutMilliseconds)
        let url = target.url
        let address = target.labels["__address__"] ?? ""
        let limit = settings.bodySizeLimit
        let httpClient = client.client
        let prepared = request
        return await withTaskGroup(of: Result<(ByteBuffer, String?), ScrapeFetchError>?.self) { group in
            group.addTask {
                do {
                    let response = try await httpClient.execute(prepared, timeout: .milliseconds(timeoutMilliseconds))
                    guard response.status == .ok else {
                        return .failure(
                            ScrapeFetchError(message: "server returned HTTP status \(response.status.code) \(response.status.reasonPhrase)"))
                    }
                    let contentType = response.headers.first(name: "Content-Type")
                    do {
                        let body = try await response.body.collect(upTo: limit)
                        return .success((body, contentType))
                    } catch is NIOTooManyBytesError {
                        return .failure(ScrapeFetchError(message: "body size limit exceeded"))
                    }
                } catch is CancellationError {
                    return nil
                } catch {
                    return .failure(ScrapeFetchError(message: "Get \"\(url)\": " + ScrapeFetchError.describe(error, address: address)))
                }
            }
            group.addTask {
                // The client's own deadline fires first and names the cause (a refused connection
                // reports as such); this one catches a body that trickles in too slowly.
                try? await Task.sleep(for: timeout + .milliseconds(250))
                return Task.isCancelled ? nil : .failure(ScrapeFetchError(message: "Get \"\(url)\": context deadline exceeded"))
            }
            var result: Result<(ByteBuffer, String?), ScrapeFetchError> = .failure(
                ScrapeFetchError(message: "Get \"\(url)\": context canceled"))
            for await candidate in group {
                if let candidate {
                    result = candidate
                    break
                }
            }
            group.cancelAll()
            return result
        }
    }
}

/// Why a fetch failed, in Prometheus's words where it has them.
struct ScrapeFetchError: Error {
    let message: String

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
