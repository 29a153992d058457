import VigilConfig

/// Joins the lines of one file into multiline events (stack traces), per stream, and says from
/// which offset the file must be read again to rebuild what it holds.
///
/// **Checkpoints.** Every record comes with its resume offset: reading the file again from there
/// yields the record again. While an event is held, the file's checkpoint may not pass the
/// resume offset of its first line (``heldResumeOffset``) — after a crash the event is rebuilt
/// whole from the file, never lost and never half-sent.
struct MultilineJoiner {
    struct Held {
        var record: LogRecord
        var lines: Int
        var resumeOffset: Int64
        var lastJoin: ContinuousClock.Instant
        var state: MultilineRule.EventState
    }

    let rule: MultilineRule
    let flushTimeout: Duration
    let maxLines: Int
    let maxBytes: Int
    private var held: [LogRecord.Stream: Held] = [:]

    /// Events sent with more than one line.
    private(set) var joinedEvents = 0
    /// Events sent early because they reached `maxLines` or `maxBytes`.
    private(set) var flushedAtLimit = 0

    init(config: LogProcessorConfig.Multiline) throws(LogsError) {
        rule = try MultilineRule(config.rule)
        flushTimeout = config.flushTimeout.duration
        maxLines = config.maxLines
        maxBytes = Int(config.maxBytes.bytes)
    }

    /// The smallest resume offset of a held event; nil when nothing is held.
    var heldResumeOffset: Int64? { held.values.map(\.resumeOffset).min() }

    /// Takes one line; appends finished events (and lines of their own) to `out`.
    mutating func take(_ record: LogRecord, resumeOffset: Int64, now: ContinuousClock.Instant, into out: inout [LogRecord]) {
        let text = String(decoding: record.line, as: UTF8.self)
        var state = held[record.stream]?.state
        let decision = rule.decide(text, event: &state)
        if decision == .continues, var current = held[record.stream] {
            if current.lines + 1 > maxLines || current.record.line.count + 1 + record.line.count > maxBytes {
                flushedAtLimit += 1
                emit(record.stream, into: &out)
                hold(record, resumeOffset: resumeOffset, now: now)
                return
            }
            current.record.line.append(0x0A)
            current.record.line.append(contentsOf: record.line)
            current.lines += 1
            current.lastJoin = now
            if let state { current.state = state }
            held[record.stream] = current
            return
        }
        emit(record.stream, into: &out)
        if decision == .single {
            out.append(record)
        } else {
            hold(record, resumeOffset: resumeOffset, now: now)
        }
    }

    /// Sends events no line joined for `flushTimeout`.
    mutating func flushExpired(now: ContinuousClock.Instant, into out: inout [LogRecord]) {
        for (stream, event) in held where now - event.lastJoin >= flushTimeout {
            emit(stream, into: &out)
        }
    }

    /// Forgets held events (the file was truncated; they are read again from its copy).
    mutating func reset() {
        held = [:]
    }

    private mutating func hold(_ record: LogRecord, resumeOffset: Int64, now: ContinuousClock.Instant) {
        let text = String(decoding: record.line, as: UTF8.self)
        held[record.stream] = Held(
            record: record, lines: 1, resumeOffset: resumeOffset, lastJoin: now, state: .init(firstLine: text))
    }

    private mutating func emit(_ stream: LogRecord.Stream, into out: inout [LogRecord]) {
        guard let event = held.removeValue(forKey: stream) else { return }
        if event.lines > 1 { joinedEvents += 1 }
        out.append(event.record)
    }
}
