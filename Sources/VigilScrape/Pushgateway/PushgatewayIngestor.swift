public import Logging
public import ServiceLifecycle
import Synchronization
public import VigilModel
public import VigilTSDB

/// Appends the pushed series to the TSDB every scrape interval, as if Prometheus scraped the
/// Pushgateway with `honor_labels: true`.
///
/// Each round stores every line of ``PushgatewayExposition/samples`` (push times included) at the
/// round's time; a series exposed last round and gone now (its group was deleted or replaced)
/// gets a stale marker, as a scrape would give it. The interval is the config's global
/// `scrape_interval`, taken again on every reload. On shutdown the series simply end, as a
/// stopped scrape's do.
public final class PushgatewayIngestor: Service, Sendable {
    private let store: PushgatewayStore
    private let tsdb: TSDB
    private let logger: Logger
    private let interval: Mutex<Duration>
    /// Series stored last round and their refs; touched once per round.
    private let previous = Mutex<[Labels: SeriesRef]>([:])

    /// An ingestor reading `store` into `tsdb` every `interval`.
    public init(store: PushgatewayStore, tsdb: TSDB, interval: Duration = .seconds(60), logger: Logger) {
        self.store = store
        self.tsdb = tsdb
        self.logger = logger
        self.interval = Mutex(interval)
    }

    /// Sets the time between rounds, from the next round on.
    public func setInterval(_ duration: Duration) {
        interval.withLock { $0 = duration > .zero ? duration : .seconds(60) }
    }

    /// The time between rounds.
    public var currentInterval: Duration { interval.withLock { $0 } }

    /// What one round stored.
    public struct Round: Sendable, Equatable {
        /// Samples appended.
        public var samples: Int
        /// Stale markers appended for series that went away.
        public var staleMarkers: Int
        /// Samples the TSDB refused (logged).
        public var rejected: Int
    }

    /// Runs a round every interval until graceful shutdown or cancellation.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await ingest(at: Timestamps.now())
            let pause = currentInterval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
    }

    /// Stores the current pushed series at `timestamp` and stale markers for those gone.
    @discardableResult
    public func ingest(at timestamp: Timestamp) async -> Round {
        let samples = await store.exposition().samples
        return previous.withLock { previous in
            var round = Round(samples: 0, staleMarkers: 0, rejected: 0)
            var current: [Labels: SeriesRef] = [:]
            current.reserveCapacity(samples.count)
            var appender = tsdb.appender()
            var firstError: TSDBError?
            for (labels, value) in samples {
                do throws(TSDBError) {
                    current[labels] = try appender.append(ref: previous[labels], labels: labels, timestamp: timestamp, value: value)
                    round.samples += 1
                } catch {
                    round.rejected += 1
                    if firstError == nil { firstError = error }
                }
            }
            for (labels, ref) in previous where current[labels] == nil {
                do throws(TSDBError) {
                    _ = try appender.append(ref: ref, labels: labels, timestamp: timestamp, value: StaleNaN.value)
                    round.staleMarkers += 1
                } catch {
                    round.rejected += 1
                    if firstError == nil { firstError = error }
                }
            }
            do {
                try appender.commit()
            } catch {
                appender.rollback()
                logger.error("Storing pushed series failed", metadata: ["err": "\(error)"])
                return Round(samples: 0, staleMarkers: 0, rejected: samples.count)
            }
            if let firstError {
                logger.warning(
                    "Pushed samples rejected by the store",
                    metadata: ["rejected": "\(round.rejected)", "first_err": "\(firstError)"]
                )
            }
            previous = current
            return round
        }
    }
}
