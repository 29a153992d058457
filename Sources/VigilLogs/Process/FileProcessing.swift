import VigilModel

/// One file's run through its input's ``LogProcessorChain``: the steps before the multiline
/// step, the multiline joiner's held events, and the steps after it.
struct FileProcessing {
    let chain: LogProcessorChain
    let kubernetesPath: KubernetesPath?
    var joiner: MultilineJoiner?

    /// The smallest resume offset of a line still held; the file's checkpoint may not pass it.
    var heldResumeOffset: Int64? { joiner?.heldResumeOffset }

    /// Processes one assembled line that reading again from `resumeOffset` would yield again.
    mutating func take(_ record: LogRecord, resumeOffset: Int64, now: ContinuousClock.Instant, into out: inout [LogRecord]) {
        var record = record
        guard chain.apply(chain.before, to: &record, path: kubernetesPath) else { return }
        guard var joiner else {
            finish(record, into: &out)
            return
        }
        var events: [LogRecord] = []
        let (joinedBefore, limitedBefore) = (joiner.joinedEvents, joiner.flushedAtLimit)
        joiner.take(record, resumeOffset: resumeOffset, now: now, into: &events)
        count(joiner, joinedBefore, limitedBefore)
        self.joiner = joiner
        for event in events { finish(event, into: &out) }
    }

    /// Sends held events whose flush timeout passed.
    mutating func flushExpired(now: ContinuousClock.Instant, into out: inout [LogRecord]) {
        guard var joiner, joiner.heldResumeOffset != nil else { return }
        var events: [LogRecord] = []
        let (joinedBefore, limitedBefore) = (joiner.joinedEvents, joiner.flushedAtLimit)
        joiner.flushExpired(now: now, into: &events)
        count(joiner, joinedBefore, limitedBefore)
        self.joiner = joiner
        for event in events { finish(event, into: &out) }
    }

    /// Forgets held events (the file is read again from its start).
    mutating func reset() {
        joiner?.reset()
    }

    private func count(_ joiner: MultilineJoiner, _ joinedBefore: Int, _ limitedBefore: Int) {
        if joiner.joinedEvents > joinedBefore { chain.metrics.multilineEvents.increment(by: Double(joiner.joinedEvents - joinedBefore)) }
        if joiner.flushedAtLimit > limitedBefore {
            chain.metrics.multilineAtLimit.increment(by: Double(joiner.flushedAtLimit - limitedBefore))
        }
    }

    private func finish(_ record: LogRecord, into out: inout [LogRecord]) {
        var record = record
        guard chain.apply(chain.after, to: &record, path: kubernetesPath) else { return }
        out.append(record)
    }
}
