import AsyncHTTPClient
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOHTTP1
import VigilConfig
import VigilHTTPClient
import VigilModel
import VigilRemote

/// Drains a ``RemoteWriteQueue``'s log to the receiver (see the queue's documentation).
struct BatchSender {
    let queue: RemoteWriteQueue
    let client: ConfiguredHTTPClient
    /// How often an idle sender looks for new samples.
    static let idlePoll = Duration.milliseconds(20)

    var queueConfig: QueueConfig { queue.config.queueConfig }

    func run() async {
        let log = queue.log
        let progressPath = log.directory + "/progress"
        var reader = QueueReader(log: log, from: Self.loadProgress(progressPath) ?? QueueLog.Position(segment: 0, offset: 0))
        let perSend = max(1, queueConfig.maxSamplesPerSend)
        let chunkLimit = perSend * max(1, queueConfig.maxShards)
        var pending: [QueueLog.Entry] = []
        var waitingSince: ContinuousClock.Instant? = nil
        while !Task.isCancelled {
            reader.recoverIfMissing()
            if pending.count < chunkLimit {
                pending.append(contentsOf: reader.read(maxSamples: chunkLimit - pending.count))
            }
            queue.metrics.pending.set(Double(pending.count))
            if pending.isEmpty {
                waitingSince = nil
                try? await Task.sleep(for: Self.idlePoll)
                continue
            }
            let started = waitingSince ?? .now
            waitingSince = started
            if pending.count < perSend && ContinuousClock.now - started < queueConfig.batchSendDeadline.duration {
                try? await Task.sleep(for: Self.idlePoll)
                continue
            }
            guard await send(pending, perSend: perSend) else { break }
            let position = reader.position
            Self.saveProgress(position, to: progressPath)
            log.deleteSegments(before: position.segment)
            if let newest = pending.map(\.timestamp).max() { queue.metrics.highestSent.set(Double(newest) / 1000) }
            pending.removeAll(keepingCapacity: true)
            waitingSince = nil
            queue.metrics.pending.set(0)
        }
    }

    /// Sends `entries` over as many shards as they fill; false when cancelled before all were accepted.
    private func send(_ entries: [QueueLog.Entry], perSend: Int) async -> Bool {
        let wanted = (entries.count + perSend - 1) / perSend
        let shardCount = min(max(wanted, max(1, queueConfig.minShards)), max(1, queueConfig.maxShards))
        queue.metrics.shards.set(Double(shardCount))
        var shards = [[QueueLog.Entry]](repeating: [], count: shardCount)
        for entry in entries {
            // One series always lands in one shard, so its samples arrive in order.
            let shard = shardCount == 1 ? 0 : Int(entry.ref % UInt64(shardCount))
            shards[shard].append(entry)
        }
        return await withTaskGroup(of: Bool.self) { group in
            for shard in shards where !shard.isEmpty {
                group.addTask {
                    var start = 0
                    while start < shard.count {
                        let end = min(start + perSend, shard.count)
                        guard await deliver(shard[start..<end]) else { return false }
                        start = end
                    }
                    return true
                }
            }
            var all = true
            for await delivered in group where !delivered { all = false }
            return all
        }
    }

    /// Sends one batch until the receiver accepts or rejects it for good; false only when cancelled.
    private func deliver(_ batch: ArraySlice<QueueLog.Entry>) async -> Bool {
        let body = Snappy.compress(WriteRequestEncoder.encode(batch))
        var backoff = queueConfig.minBackoff.duration
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let outcome = await post(body)
            queue.metrics.batchDuration.observe(Self.seconds(ContinuousClock.now - started))
            switch outcome {
            case .accepted:
                queue.metrics.samplesSent.increment(by: Double(batch.count))
                queue.metrics.bytesSent.increment(by: Double(body.count))
                return true
            case .rejected(let reason):
                queue.metrics.samplesFailed.increment(by: Double(batch.count))
                queue.logger.error("Non-recoverable error sending samples; dropping the batch", metadata: [
                    "count": "\(batch.count)", "err": "\(reason)",
                ])
                return true
            case .retry(let reason, let retryAfter):
                queue.metrics.samplesRetried.increment(by: Double(batch.count))
                queue.logger.warning("Failed to send batch, retrying", metadata: ["err": "\(reason)"])
                let wait = retryAfter ?? backoff
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    return false
                }
                backoff = min(backoff * 2, queueConfig.maxBackoff.duration)
            }
        }
        return false
    }

    enum Outcome {
        case accepted
        case rejected(String)
        case retry(String, retryAfter: Duration?)
    }

    private func post(_ body: [UInt8]) async -> Outcome {
        var request = HTTPClientRequest(url: queue.config.url.string)
        request.method = .POST
        do {
            request.headers = try client.requestHeaders()
        } catch {
            return .retry("\(error)", retryAfter: nil)
        }
        for (name, value) in queue.config.headers.sorted(by: { $0.key < $1.key }) {
            request.headers.replaceOrAdd(name: name, value: value)
        }
        request.headers.replaceOrAdd(name: "Content-Encoding", value: "snappy")
        request.headers.replaceOrAdd(name: "Content-Type", value: "application/x-protobuf")
        request.headers.replaceOrAdd(name: "User-Agent", value: "Vigil")
        request.headers.replaceOrAdd(name: "X-Prometheus-Remote-Write-Version", value: "0.1.0")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.client(for: request.url).execute(
                request, timeout: .milliseconds(queue.config.remoteTimeout.milliseconds))
            let text = (try? await response.body.collect(upTo: 1024)).map { String(buffer: $0) } ?? ""
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return .accepted }
            let reason = "server returned HTTP status \(response.status.code) \(response.status.reasonPhrase): \(text)"
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.retryAfter)
            if status >= 500 || (status == 429 && queueConfig.retryOnRateLimit) {
                return .retry(reason, retryAfter: retryAfter)
            }
            return .rejected(reason)
        } catch {
            return .retry("\(error)", retryAfter: nil)
        }
    }

    /// `Retry-After` in seconds (the HTTP-date form is not used by receivers in practice).
    static func retryAfter(_ text: String) -> Duration? {
        guard let seconds = Int(text.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
        return .seconds(seconds)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func loadProgress(_ path: String) -> QueueLog.Position? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let segment = Int(fields[0]), let offset = Int(fields[1]) else { return nil }
        return QueueLog.Position(segment: segment, offset: offset)
    }

    static func saveProgress(_ position: QueueLog.Position, to path: String) {
        let temporary = path + ".tmp"
        let text = "\(position.segment) \(position.offset)\n"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else { return }
        if let handle = FileHandle(forWritingAtPath: temporary) {
            try? handle.synchronize()
            try? handle.close()
        }
        // rename(2) replaces the old position atomically: a crash leaves one or the other.
        _ = rename(temporary, path)
    }
}
