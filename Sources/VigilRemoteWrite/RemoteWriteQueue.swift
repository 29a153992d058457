import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
import Synchronization
public import VigilConfig
import VigilHTTPClient
public import VigilModel
import VigilRemote
import VigilScrape
public import VigilTSDB

/// One `remote_write` destination: a durable queue fed by every commit, and a sender that drains
/// it to the receiver in batches, retrying until the receiver accepts.
///
/// Samples get the external labels (the series' own labels win), then `write_relabel_configs`,
/// before they are queued. The sender reads the queue in chunks of up to `max_shards ×
/// max_samples_per_send` samples, spreads a chunk over as many shards as it fills (at least
/// `min_shards`), sends them in parallel and moves the acknowledged position on only when the
/// whole chunk is accepted: delivery is at least once, in order per series. 5xx answers, network
/// errors and (with `retry_on_http_429`) 429 are retried with exponential backoff honouring
/// `Retry-After`; other 4xx answers drop the batch and count it as failed.
public final class RemoteWriteQueue: CommitObserver, Sendable {
    /// The config this queue sends with.
    public let config: RemoteWriteConfig
    /// The `remote_name` label of its metrics: the config's `name`, or a hash of the URL.
    public let name: String
    let log: QueueLog
    let externalLabels: [(String, String)]
    let relabeler: Relabeler
    let metrics: RemoteWriteMetrics
    let logger: Logger
    private let sendLabels = Mutex<[SeriesRef: Labels?]>([:])
    private let highestAppended = Atomic<Int64>(.min)

    /// Opens (or continues) the queue under `directory`, named after the destination.
    public init(
        config: RemoteWriteConfig, externalLabels: [String: String], directory: String, registry: MetricsRegistry, logger: Logger
    ) throws {
        self.config = config
        name = config.name.isEmpty ? Self.hashName(config.url.string) : config.name
        log = try QueueLog(directory: directory + "/" + Self.directoryName(name))
        self.externalLabels = externalLabels.sorted { $0.key < $1.key }
        relabeler = Relabeler(config.writeRelabelConfigs)
        metrics = try RemoteWriteMetrics(registry: registry, name: name, url: config.url.string)
        var logger = logger
        logger[metadataKey: "remote_name"] = "\(name)"
        logger[metadataKey: "url"] = "\(config.url)"
        self.logger = logger
    }

    static func hashName(_ url: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in url.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return String(String(hash, radix: 16).prefix(6))
    }

    static func directoryName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }

    /// Queues the samples of one commit under the labels they are sent with.
    public func didCommit(_ samples: CommittedSamples) {
        var batch: [(ref: SeriesRef, labels: Labels, timestamp: Int64, value: Double)] = []
        batch.reserveCapacity(samples.count)
        var dropped = 0
        var highest = Int64.min
        sendLabels.withLock { cache in
            samples.forEach { ref, labels, timestamp, value in
                let sent: Labels?
                if let cached = cache[ref] {
                    sent = cached
                } else {
                    sent = outgoingLabels(labels)
                    cache[ref] = sent
                }
                guard let sent else {
                    dropped += 1
                    return
                }
                batch.append((ref, sent, timestamp, value))
                highest = max(highest, timestamp)
            }
            // Refs of series long gone pile up otherwise; relearning is cheap.
            if cache.count > 2_000_000 { cache.removeAll(keepingCapacity: true) }
        }
        if dropped > 0 { metrics.samplesDropped.increment(by: Double(dropped)) }
        if highest > highestAppended.load(ordering: .relaxed) {
            highestAppended.store(highest, ordering: .relaxed)
            metrics.highestAppended.set(Double(highest) / 1000)
        }
        do {
            try log.append(batch, syncInterval: .seconds(1))
        } catch {
            metrics.samplesFailed.increment(by: Double(batch.count))
            logger.error("Cannot queue samples for remote write", metadata: ["err": "\(error)"])
        }
    }

    /// External labels (the series' own win), then write relabeling; `nil` when dropped.
    func outgoingLabels(_ labels: Labels) -> Labels? {
        var builder = LabelsBuilder(labels)
        for (name, value) in externalLabels where labels[name] == nil { builder.set(name, value) }
        return relabeler.process(builder.build())
    }

    /// Sends until cancelled; unsent samples stay queued on disk for the next start.
    public func run() async {
        let client: ConfiguredHTTPClient
        do {
            client = try ConfiguredHTTPClient(config: config.httpClient, decompress: false)
        } catch {
            logger.error("Cannot create remote-write client", metadata: ["err": "\(error)"])
            return
        }
        let sender = BatchSender(queue: self, client: client)
        await sender.run()
        await client.shutdown()
        log.sync()
    }

    /// Samples the receiver has accepted so far.
    public var sentSamples: Int { Int(metrics.samplesSent.value) }

    /// Compressed bytes sent so far.
    public var sentBytes: Int { Int(metrics.bytesSent.value) }

    /// Flushes and closes the queue's segment (after ``run()`` returned).
    public func close() {
        log.close()
    }
}
