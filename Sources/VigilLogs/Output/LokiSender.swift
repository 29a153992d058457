import VigilModel
import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import VigilConfig
import VigilHTTPClient
import VigilRemote

/// Drains one output's ``DiskBuffer`` to Loki's push API: whole frames per batch, sent until the
/// receiver accepts or rejects them for good, the buffer's sent position advanced only after.
///
/// 2xx is accepted; 429, 5xx and transport errors are retried with exponential backoff (forever
/// unless `max_retries`), other statuses drop the batch and count its lines.
struct LokiSender {
    let config: LokiOutputConfig
    let buffer: DiskBuffer
    let client: ConfiguredHTTPClient
    let metrics: LogsMetrics.Output
    let logger: Logger
    /// How often an idle sender looks for new frames.
    static let idlePoll = Duration.milliseconds(50)
    /// Response bodies are read up to this many bytes (for the error message).
    static let maximumResponseBytes = 4096

    func run() async {
        var cursor = BufferCursor(buffer: buffer, logger: logger)
        defer { cursor.close() }
        var batch: [BufferFrame] = []
        var batchBytes = 0
        var firstAt: ContinuousClock.Instant?
        let batchSize = Int(config.batchSize.bytes)
        while !Task.isCancelled {
            while batchBytes < batchSize, let frame = cursor.next() {
                batch.append(frame)
                batchBytes += frame.records.reduce(0) { $0 + $1.line.count + 32 }
                if firstAt == nil { firstAt = .now }
            }
            metrics.bufferedBytes.set(Double(buffer.totalBytes))
            guard let started = firstAt else {
                try? await Task.sleep(for: Self.idlePoll)
                continue
            }
            if batchBytes < batchSize && ContinuousClock.now - started < config.batchWait.duration {
                try? await Task.sleep(for: Self.idlePoll)
                continue
            }
            guard await deliver(batch) else { return }
            logger.debug("Batch delivered", metadata: [
                "output": "\(config.name)", "frames": "\(batch.first!.sequence)-\(batch.last!.sequence)",
                "lines": "\(batch.reduce(0) { $0 + $1.records.count })", "position": "\(cursor.position)",
            ])
            buffer.markSent(through: cursor.position, sequence: batch.last!.sequence)
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
            firstAt = nil
        }
    }

    /// Sends `frames` until accepted or dropped; false only when cancelled first.
    func deliver(_ frames: [BufferFrame]) async -> Bool {
        let lines = frames.reduce(0) { $0 + $1.records.count }
        guard lines > 0 else { return true }
        let body: [UInt8]
        switch config.encoding {
        case .json: body = LokiPushEncoder.json(frames, extraLabels: config.labels)
        case .protobuf: body = Snappy.compress(LokiPushEncoder.protobuf(frames, extraLabels: config.labels))
        }
        var backoff = config.minBackoff.duration
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            metrics.requests.increment()
            switch await post(body) {
            case .accepted:
                metrics.linesSent.increment(by: Double(lines))
                metrics.bytesSent.increment(by: Double(body.count))
                return true
            case .rejected(let reason):
                metrics.droppedRejected.increment(by: Double(lines))
                logger.error("Loki rejected a batch; dropping it", metadata: [
                    "output": "\(config.name)", "lines": "\(lines)", "err": "\(reason)",
                ])
                return true
            case .retry(let reason):
                if config.maxRetries > 0 && attempt > config.maxRetries {
                    metrics.droppedRetriesExhausted.increment(by: Double(lines))
                    logger.error("Giving up on a batch after max_retries", metadata: [
                        "output": "\(config.name)", "lines": "\(lines)", "err": "\(reason)",
                    ])
                    return true
                }
                metrics.linesRetried.increment(by: Double(lines))
                logger.warning("Push failed; retrying", metadata: [
                    "output": "\(config.name)", "err": "\(reason)", "backoff": "\(backoff)",
                ])
                // Full jitter in [backoff/2, backoff], so many agents do not retry in step.
                let jittered = backoff / 2 + .milliseconds(Int64.random(in: 0...max(1, backoff.wholeMilliseconds / 2)))
                do {
                    try await Task.sleep(for: jittered)
                } catch {
                    return false
                }
                backoff = min(backoff * 2, config.maxBackoff.duration)
            }
        }
        return false
    }

    enum Outcome {
        case accepted
        case rejected(String)
        case retry(String)
    }

    private func post(_ body: [UInt8]) async -> Outcome {
        var request = HTTPClientRequest(url: config.url.string)
        request.method = .POST
        do {
            request.headers = try client.requestHeaders()
        } catch {
            return .retry("\(error)")
        }
        request.headers.replaceOrAdd(
            name: "Content-Type", value: config.encoding == .json ? "application/json" : "application/x-protobuf")
        request.headers.replaceOrAdd(name: "User-Agent", value: "Vigil")
        if !config.tenantID.isEmpty { request.headers.replaceOrAdd(name: "X-Scope-OrgID", value: config.tenantID) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.client.execute(request, timeout: .milliseconds(config.timeout.milliseconds))
            let text = (try? await response.body.collect(upTo: Self.maximumResponseBytes)).map { String(buffer: $0) } ?? ""
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return .accepted }
            let reason = "server returned HTTP status \(status): \(text.prefix(512))"
            return status == 429 || status >= 500 ? .retry(reason) : .rejected(reason)
        } catch {
            return .retry("\(error)")
        }
    }
}

extension Duration {
    fileprivate var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
