import Synchronization

/// Appends frames to every output's buffer and numbers them — the one place every input's lines
/// enter the buffers, shared by the tail loop's task and the other inputs' tasks.
///
/// Each append takes the lock, so frame numbers are in buffer order in every buffer, and the
/// checkpoint a frame carries is recorded (for the positions file) in the same step as the
/// frame is written: the positions file never names a checkpoint whose lines are not buffered.
final class FrameWriter: Sendable {
    /// One frame to write: its shared labels, its lines, and the checkpoint once they are buffered.
    struct Pending: Sendable {
        var labels: [(name: String, value: String)]
        var records: [LogRecord]
        var checkpoint: InputCheckpoint
    }

    private struct State {
        var sequence: UInt64
        var persistedSequence: UInt64
        /// The newest journal and kernel-log checkpoints, by input.
        var inputCheckpoints: [String: InputCheckpoint]
        /// After a failed append, checkpoints may be ahead of the buffers: nothing is persisted again.
        var failed = false
    }

    let buffers: [DiskBuffer]
    let positionsPath: String
    private let state: Mutex<State>

    init(buffers: [DiskBuffer], positionsPath: String, sequence: UInt64, checkpoints: [InputCheckpoint]) {
        self.buffers = buffers
        self.positionsPath = positionsPath
        var inputCheckpoints: [String: InputCheckpoint] = [:]
        for checkpoint in checkpoints where checkpoint.file == nil { inputCheckpoints[checkpoint.input] = checkpoint }
        state = Mutex(State(sequence: sequence, persistedSequence: sequence, inputCheckpoints: inputCheckpoints))
    }

    /// Appends `frames` in order to every buffer (a `write(2)` each: they survive SIGKILL once
    /// this returns, power loss after the next ``persist(fileCheckpoints:)`` or ``sync()``).
    func append(_ frames: [Pending]) throws(LogsError) {
        try state.withLock { (state) throws(LogsError) in
            guard !state.failed else { throw LogsError("an earlier write to a log buffer failed") }
            for pending in frames {
                state.sequence += 1
                let frame = BufferFrame(
                    sequence: state.sequence, checkpoint: pending.checkpoint, labels: pending.labels, records: pending.records)
                let bytes = frame.encoded()
                do throws(LogsError) {
                    for buffer in buffers {
                        try buffer.append(bytes, sequence: state.sequence, lines: pending.records.count, decoded: frame)
                    }
                } catch {
                    state.failed = true
                    throw error
                }
                switch pending.checkpoint {
                case .journal, .kmsg: state.inputCheckpoints[pending.checkpoint.input] = pending.checkpoint
                case .file, .none: break
                }
            }
        }
    }

    /// `fdatasync`s every buffer: what was appended survives power loss.
    func sync() {
        for buffer in buffers { buffer.sync() }
    }

    /// Whether an append failed: the buffers may then lag the checkpoints, so nothing more is
    /// written or persisted until the process starts again.
    var hasFailed: Bool { state.withLock { $0.failed } }

    /// The newest checkpoint buffered for the journal or kernel-log input `name`: where it
    /// resumes when it is started again.
    func checkpoint(input name: String) -> InputCheckpoint? {
        state.withLock { $0.inputCheckpoints[name] }
    }

    /// Whether frames were appended since the positions were last written.
    var hasUnpersisted: Bool { state.withLock { $0.sequence != $0.persistedSequence } }

    /// Whether some `when_full: block` output's buffer is at its cap.
    func isBlocked(_ blocking: [Bool]) -> Bool {
        zip(blocking, buffers).contains { $0 && $1.isFull }
    }

    /// Syncs the buffers, then writes the positions file with `fileCheckpoints` (the file inputs'
    /// own, which only the calling task moves) and the other inputs' checkpoints.
    func persist(fileCheckpoints: [FileCheckpoint]) throws(LogsError) {
        try state.withLock { (state) throws(LogsError) in
            guard !state.failed else { return }
            for buffer in buffers { buffer.sync() }
            var file = PositionsFile(sequence: state.sequence)
            file.checkpoints = fileCheckpoints
            file.inputCheckpoints = state.inputCheckpoints.keys.sorted().map { state.inputCheckpoints[$0]! }
            try PosixFile.writeAtomically(positionsPath, file.encoded())
            state.persistedSequence = state.sequence
            for buffer in buffers { buffer.positionsPersisted(through: state.sequence) }
        }
    }
}
