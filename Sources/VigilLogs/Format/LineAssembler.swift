import VigilConfig
/// Turns the lines of one file into records: parses the file's format and joins the pieces of a
/// long container line (CRI `P` records until an `F`; Docker `log` values without a newline).
///
/// Pieces are joined per stream (stdout and stderr interleave). A joined line longer than
/// `maxLineSize` is cut there and the rest of it skipped. A line that does not parse in the
/// file's format is passed on whole, as a raw line, and counted.
struct LineAssembler {
    let format: FileInputConfig.Format
    let maxLineSize: Int
    private var pending: [LogRecord.Stream: LogRecord] = [:]
    private var overflowing: Set<LogRecord.Stream> = []

    /// Lines that did not parse in the format.
    private(set) var parseErrors = 0
    /// Lines cut at `maxLineSize`.
    private(set) var truncated = 0

    init(format: FileInputConfig.Format, maxLineSize: Int) {
        self.format = format
        self.maxLineSize = maxLineSize
    }

    /// Whether no piece of a line is held (the file's offset here is a safe checkpoint).
    var isEmpty: Bool { pending.isEmpty && overflowing.isEmpty }

    /// Forgets held pieces (the file was truncated).
    mutating func reset() {
        pending = [:]
        overflowing = []
    }

    /// Takes one line (without its newline) read at `now` (ns); appends finished records to `out`.
    mutating func take(_ line: UnsafeRawBufferPointer, now: Int64, into out: inout [LogRecord]) {
        switch format {
        case .raw:
            out.append(LogRecord(timestamp: now, line: capped(line)))
        case .cri:
            guard let parsed = CRIParser.parse(line) else {
                parseErrors += 1
                out.append(LogRecord(timestamp: now, line: capped(line)))
                return
            }
            let message = UnsafeRawBufferPointer(rebasing: line[parsed.messageStart...])
            join(message, stream: parsed.stream, timestamp: parsed.timestamp, isPartial: parsed.isPartial, into: &out)
        case .docker:
            guard let parsed = DockerJSONParser.parse(line) else {
                parseErrors += 1
                out.append(LogRecord(timestamp: now, line: capped(line)))
                return
            }
            parsed.log.withUnsafeBytes { message in
                join(message, stream: parsed.stream, timestamp: parsed.timestamp ?? now, isPartial: parsed.isPartial, into: &out)
            }
        }
    }

    private mutating func capped(_ line: UnsafeRawBufferPointer) -> [UInt8] {
        if line.count <= maxLineSize { return Array(line) }
        truncated += 1
        return Array(line[0..<maxLineSize])
    }

    private mutating func join(
        _ message: UnsafeRawBufferPointer, stream: LogRecord.Stream, timestamp: Int64, isPartial: Bool,
        into out: inout [LogRecord]
    ) {
        if overflowing.contains(stream) {
            // The start of this line was already sent, cut; skip to its end.
            if !isPartial { overflowing.remove(stream) }
            return
        }
        var record = pending.removeValue(forKey: stream) ?? LogRecord(timestamp: timestamp, stream: stream, line: [])
        let room = maxLineSize - record.line.count
        if message.count > room {
            record.line.append(contentsOf: message[0..<max(0, room)])
            truncated += 1
            out.append(record)
            if isPartial { overflowing.insert(stream) }
            return
        }
        record.line.append(contentsOf: message)
        if isPartial {
            pending[stream] = record
        } else {
            out.append(record)
        }
    }
}
