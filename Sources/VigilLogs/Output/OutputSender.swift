import Logging
import VigilModel
import VigilConfig

/// Drains one output's ``DiskBuffer`` through a ``LogOutput``: whole frames per batch, sent until
/// the receiver accepts or rejects every line, the buffer's sent position advanced only after.
///
/// Retryable failures (transport errors, 429, 5xx, and the items of a partial answer that failed
/// that way) are sent again with jittered exponential backoff, forever unless `max_retries`; the
/// lines then dropped are counted (`retries_exhausted`), like the ones rejected for good (`rejected`).
struct OutputSender<Output: LogOutput>: Sendable {
    let config: LogOutputConfig
    let output: Output
    let buffer: DiskBuffer
    let metrics: LogsMetrics.Output
    let logger: Logger
    /// How often an idle sender looks for new frames.
    static var idlePoll: Duration { .milliseconds(50) }

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
            guard await deliver(batch) else { break }
            logger.debug("Batch delivered", metadata: [
                "output": "\(config.name)", "frames": "\(batch.first!.sequence)-\(batch.last!.sequence)",
                "lines": "\(batch.reduce(0) { $0 + $1.records.count })", "position": "\(cursor.position)",
            ])
            buffer.markSent(through: cursor.position, sequence: batch.last!.sequence)
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
            firstAt = nil
        }
        await output.close()
    }

    /// Sends `frames` until every line is accepted or dropped; false only when cancelled first.
    func deliver(_ frames: [BufferFrame]) async -> Bool {
        var pending = OutputEntry.entries(frames, extraLabels: config.labels)
        guard !pending.isEmpty else { return true }
        var backoff = config.minBackoff.duration
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            metrics.requests.increment()
            let (request, bytes) = output.encode(pending)
            let outcome: DeliveryOutcome
            do {
                let response = try await output.send(request)
                outcome = output.interpret(response, count: pending.count)
            } catch {
                outcome = .retry("\(error)")
            }
            let failure: String
            switch outcome {
            case .accepted:
                metrics.linesSent.increment(by: Double(pending.count))
                metrics.bytesSent.increment(by: Double(bytes))
                return true
            case .rejected(let reason):
                drop(pending.count, reason: reason)
                return true
            case .retry(let reason):
                failure = reason
            case .items(let items):
                var retry: [OutputEntry] = []
                var rejected = 0
                var firstRejection = ""
                var firstRetry = ""
                for (entry, item) in zip(pending, items + Array(repeating: DeliveryOutcome.ItemOutcome.retry("no answer for this item"), count: max(0, pending.count - items.count))) {
                    switch item {
                    case .accepted: break
                    case .retry(let reason):
                        if retry.isEmpty { firstRetry = reason }
                        retry.append(entry)
                    case .rejected(let reason):
                        if rejected == 0 { firstRejection = reason }
                        rejected += 1
                    }
                }
                let accepted = pending.count - retry.count - rejected
                metrics.linesSent.increment(by: Double(accepted))
                if accepted > 0 { metrics.bytesSent.increment(by: Double(bytes * accepted / pending.count)) }
                if rejected > 0 { drop(rejected, reason: firstRejection) }
                guard !retry.isEmpty else { return true }
                pending = retry
                failure = "\(retry.count) items failed, first: \(firstRetry)"
            }
            if config.maxRetries > 0 && attempt > config.maxRetries {
                metrics.droppedRetriesExhausted.increment(by: Double(pending.count))
                logger.error("Giving up on a batch after max_retries", metadata: [
                    "output": "\(config.name)", "lines": "\(pending.count)", "err": "\(failure)",
                ])
                return true
            }
            metrics.linesRetried.increment(by: Double(pending.count))
            logger.warning("Sending failed; retrying", metadata: [
                "output": "\(config.name)", "err": "\(failure)", "backoff": "\(backoff)",
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
        return false
    }

    private func drop(_ lines: Int, reason: String) {
        metrics.droppedRejected.increment(by: Double(lines))
        logger.error("The receiver rejected lines; dropping them", metadata: [
            "output": "\(config.name)", "lines": "\(lines)", "err": "\(reason)",
        ])
    }
}

extension Duration {
    fileprivate var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
