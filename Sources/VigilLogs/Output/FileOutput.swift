import Synchronization
import VigilConfig
import VigilModel

/// Lines appended to a local file (rotated by size, `path` → `path.1` → `path.2` …) or written to
/// standard output, raw or as JSON lines. A batch is accepted once written (and, for a file,
/// `fdatasync`ed); a write error is retried like a network failure.
final class FileOutput: LogOutput, Sendable {
    /// Where lines go.
    enum Target: Sendable {
        case file(FileOutputConfig)
        case standardOutput
    }

    private struct State {
        var descriptor: Int32 = -1
        var size: Int64 = 0
    }

    let target: Target
    let format: LineFormat
    private let state = Mutex(State())

    init(target: Target, format: LineFormat) {
        self.target = target
        self.format = format
    }

    func encode(_ entries: [OutputEntry]) -> (request: [UInt8], bytes: Int) {
        var out: [UInt8] = []
        out.reserveCapacity(entries.reduce(0) { $0 + $1.line.count + 1 })
        for entry in entries {
            switch format {
            case .raw:
                out += entry.line
            case .json:
                var text = "{\"timestamp\":\"" + UTCTime(nanoseconds: entry.timestamp).rfc3339 + "\",\"labels\":{"
                for (index, label) in entry.labels.enumerated() {
                    if index > 0 { text += "," }
                    JSONQuoting.append(label.name, to: &text)
                    text += ":"
                    JSONQuoting.append(label.value, to: &text)
                }
                text += "},\"line\":"
                JSONQuoting.append(String(decoding: entry.line, as: UTF8.self), to: &text)
                text += "}"
                out += text.utf8
            }
            out.append(UInt8(ascii: "\n"))
        }
        return (out, out.count)
    }

    func send(_ request: [UInt8]) async throws {
        try state.withLock { (state: inout State) throws(LogsError) in
            guard case .file(let config) = target else {
                guard request.withUnsafeBytes({ PosixFile.writeAll(1, $0) }) else {
                    throw LogsError("cannot write to standard output: \(PosixFile.errorText())")
                }
                return
            }
            if state.descriptor >= 0, state.size > 0, state.size + Int64(request.count) > config.maxSize.bytes {
                PosixFile.close(state.descriptor)
                state.descriptor = -1
                try rotate(config)
            }
            if state.descriptor < 0 {
                guard let descriptor = PosixFile.openForAppending(config.path) else {
                    throw LogsError("cannot open \(config.path) for appending: \(PosixFile.errorText())")
                }
                state.descriptor = descriptor
                state.size = PosixFile.status(descriptor: descriptor)?.size ?? 0
                if state.size > 0, state.size + Int64(request.count) > config.maxSize.bytes {
                    PosixFile.close(descriptor)
                    state.descriptor = -1
                    try rotate(config)
                    guard let fresh = PosixFile.openForAppending(config.path) else {
                        throw LogsError("cannot open \(config.path) for appending: \(PosixFile.errorText())")
                    }
                    state.descriptor = fresh
                    state.size = 0
                }
            }
            guard request.withUnsafeBytes({ PosixFile.writeAll(state.descriptor, $0) }) else {
                // The file may hold part of the batch; it is written again whole (at least once).
                PosixFile.close(state.descriptor)
                state.descriptor = -1
                throw LogsError("cannot write to \(config.path): \(PosixFile.errorText())")
            }
            PosixFile.sync(state.descriptor)
            state.size += Int64(request.count)
        }
    }

    /// Shifts `path.N-1` to `path.N` … `path` to `path.1`, deleting what falls beyond `max_files`.
    private func rotate(_ config: FileOutputConfig) throws(LogsError) {
        guard config.maxFiles > 0 else {
            PosixFile.remove(config.path)
            return
        }
        PosixFile.remove("\(config.path).\(config.maxFiles)")
        for generation in stride(from: config.maxFiles - 1, through: 1, by: -1) {
            _ = PosixFile.move("\(config.path).\(generation)", to: "\(config.path).\(generation + 1)")
        }
        guard PosixFile.move(config.path, to: config.path + ".1") else {
            throw LogsError("cannot rotate \(config.path): \(PosixFile.errorText())")
        }
    }

    func interpret(_ response: Void, count: Int) -> DeliveryOutcome { .accepted }

    func close() async {
        state.withLock { state in
            if state.descriptor >= 0 { PosixFile.close(state.descriptor) }
            state.descriptor = -1
        }
    }
}
