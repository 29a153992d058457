import VigilConfig
import Logging

/// What the pipeline recovers at start: the output buffers, and the checkpoints to resume from —
/// the positions file's, updated by the frames every buffer holds beyond it.
struct PipelineState: Sendable {
    let config: LogsConfig
    let buffers: [DiskBuffer]
    let positionsPath: String
    let checkpoints: [InputCheckpoint]
    /// The newest frame number used so far; the next frame gets one more.
    let sequence: UInt64
    /// Neither positions nor buffered frames existed: this is the first start.
    let isFirstStart: Bool
    let metrics: LogsMetrics
    let logger: Logger

    static func open(config: LogsConfig, dataDirectory: String, metrics: LogsMetrics, logger: Logger) throws(LogsError) -> PipelineState {
        let positionsDirectory = dataDirectory + "/positions"
        try PosixFile.makeDirectories(positionsDirectory)
        let positionsPath = positionsDirectory + "/positions"
        var positions = PositionsFile()
        let hadPositions: Bool
        if let bytes = PosixFile.contents(positionsPath) {
            positions = try PositionsFile.decode(bytes, path: positionsPath)
            hadPositions = true
        } else {
            hadPositions = false
        }
        var buffers: [DiskBuffer] = []
        for output in config.outputs {
            let maxBytes = output.bufferMaxBytes.bytes
            let segmentSize = min(max(maxBytes / 8, output.batchSize.bytes), 64 << 20)
            buffers.append(
                try DiskBuffer(
                    directory: dataDirectory + "/queues/logs-" + output.name, segmentSize: segmentSize, maxBytes: maxBytes))
        }
        // A frame's checkpoint holds only if every buffer has the frame (or sent it).
        let covered = buffers.map(\.highestSequence).min() ?? positions.sequence
        var frames: [UInt64: BufferFrame] = [:]
        for buffer in buffers {
            for frame in buffer.frames(after: positions.sequence) where frame.sequence <= covered {
                frames[frame.sequence] = frame
            }
        }
        var checkpoints: [String: InputCheckpoint] = [:]
        for checkpoint in positions.checkpoints.map(InputCheckpoint.file) + positions.inputCheckpoints {
            checkpoints[checkpoint.key] = checkpoint
        }
        for sequence in frames.keys.sorted() {
            let checkpoint = frames[sequence]!.checkpoint
            // A pushed frame (syslog, HTTP) has nothing to resume from and must not erase a checkpoint.
            if case .none = checkpoint { continue }
            checkpoints[checkpoint.key] = checkpoint
        }
        let sequence = max(positions.sequence, buffers.map(\.highestSequence).max() ?? 0)
        if !frames.isEmpty {
            logger.info("Recovered checkpoints from buffered frames", metadata: [
                "frames": "\(frames.count)", "positions_sequence": "\(positions.sequence)",
            ])
        }
        return PipelineState(
            config: config, buffers: buffers, positionsPath: positionsPath, checkpoints: Array(checkpoints.values),
            sequence: sequence, isFirstStart: !hadPositions && frames.isEmpty && sequence == 0, metrics: metrics,
            logger: logger)
    }

    /// Syncs and closes the buffers.
    func close() {
        for buffer in buffers { buffer.close() }
    }
}
