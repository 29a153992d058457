import Hummingbird
import Logging
import NIOCore
import Synchronization
import VigilModel
import VigilRemote
import VigilTSDB

/// `POST /api/v1/write`: the remote-write 1.0 receiver (snappy-compressed protobuf), answering as
/// Prometheus's does: 204 when every sample is stored; 400 for a body that does not decode, invalid
/// labels, or a sample the store rejects (out of bounds, duplicate timestamp with another value),
/// with nothing of the request stored; 413 for a body over the limit; 500 for a storage failure a
/// sender should retry.
struct RemoteWriteRoute {
    let tsdb: TSDB
    let maxBodyBytes: Int
    let logger: Logger
    let metrics: RemoteWriteMetrics
    /// Decoding batches reused across requests: each keeps a cache of series it has validated.
    let batches = BatchPool()
    let decoder = RemoteWriteDecoder()

    func register(on router: Router<BasicRequestContext>) {
        router.post("/api/v1/write") { request, _ in
            try await handle(request)
        }
    }

    func handle(_ request: Request) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await RequestBody.collect(request, upTo: maxBodyBytes)
        } catch let error as RequestBody.TooLarge {
            metrics.rejected.increment()
            return error.response
        }
        var batch = batches.take()
        defer { batches.giveBack(batch) }
        do {
            try body.withUnsafeReadableBytes { bytes throws(RemoteWriteError) in
                try decoder.decode(compressedBody: bytes, into: &batch)
            }
        } catch {
            metrics.rejected.increment()
            return PlainText.response(.badRequest, "\(error)\n")
        }
        var appender = tsdb.appender()
        do {
            for index in batch.series.indices {
                let labels = batch.series[index]
                var ref: SeriesRef?
                for sample in batch.sampleRange(index) {
                    ref = try appender.append(
                        ref: ref, labels: labels, timestamp: batch.timestamps[sample], value: batch.values[sample]
                    )
                }
            }
            try appender.commit()
        } catch {
            appender.rollback()
            metrics.rejected.increment()
            switch error.kind {
            case .outOfBounds, .outOfOrder, .duplicateSampleForTimestamp, .invalidLabels, .limitExceeded:
                // Limits answer 400 too (as Mimir and Cortex do): retrying the same request cannot succeed.
                logger.debug("Rejected remote write", metadata: ["err": "\(error)"])
                return PlainText.response(.badRequest, "\(error)\n")
            case .corruption, .io, .closed:
                logger.error("Remote write failed in storage", metadata: ["err": "\(error)"])
                return PlainText.response(.internalServerError, "\(error)\n")
            }
        }
        metrics.samples.increment(by: Double(batch.sampleCount))
        metrics.requests.increment()
        return Response(status: .noContent)
    }
}

/// A few decoding batches shared by concurrent requests, so their series caches stay warm.
final class BatchPool: Sendable {
    private let batches = Mutex<[RemoteWriteBatch]>([])

    func take() -> RemoteWriteBatch {
        batches.withLock { $0.popLast() } ?? RemoteWriteBatch()
    }

    func giveBack(_ batch: consuming RemoteWriteBatch) {
        batch.removeAll()
        let returned = batch
        batches.withLock { if $0.count < 4 { $0.append(returned) } }
    }
}

/// Self-metrics of the remote-write receiver.
struct RemoteWriteMetrics: Sendable {
    let requests: Counter
    let samples: Counter
    let rejected: Counter

    init(registry: MetricsRegistry) throws {
        requests = try registry.counter(
            name: "vigil_remote_write_requests_total", help: "Remote-write requests stored."
        )
        samples = try registry.counter(
            name: "vigil_remote_write_samples_total", help: "Samples stored from remote-write requests."
        )
        rejected = try registry.counter(
            name: "vigil_remote_write_rejected_requests_total", help: "Remote-write requests rejected (4xx or 5xx)."
        )
    }
}
