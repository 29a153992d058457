import VigilConfig
import VigilModel
import Logging

/// The reading side of the pipeline for files: discovers and reads files, appends each chunk to
/// every output's buffer as a frame (through the shared ``FrameWriter``), and writes the
/// positions file for every input. One task owns it.
final class TailLoop {
    let state: PipelineState
    let writer: FrameWriter
    let inputs: [FileInputConfig]
    let tailers: [FileTailer]
    private var lastPersist = ContinuousClock.now
    /// Files are looked for this often (and at once when a file was truncated).
    static let scanInterval = Duration.seconds(1)
    /// Positions are written at most this often.
    static let persistInterval = Duration.seconds(1)
    /// How long an idle loop sleeps.
    static let idleSleep = Duration.milliseconds(100)

    init(state: PipelineState, writer: FrameWriter, services: LogProcessingServices = LogProcessingServices()) throws {
        self.state = state
        self.writer = writer
        inputs = state.config.fileInputs
        var tailers: [FileTailer] = []
        for input in inputs {
            let metrics = try state.metrics.input(input.name)
            let chain = input.processors.isEmpty
                ? nil
                : try LogProcessorChain(
                    input.processors, services: services,
                    metrics: try ProcessingMetrics(registry: state.metrics.registry, input: input.name))
            tailers.append(
                FileTailer(
                    config: input, checkpoints: state.checkpoints.compactMap(\.file).filter { $0.input == input.name },
                    isFirstStart: state.isFirstStart, metrics: metrics, chain: chain, logger: state.logger))
        }
        self.tailers = tailers
    }

    /// Bytes per frame: the smallest batch any output sends, so one frame never spans batches.
    var frameBytes: Int {
        Int(state.config.outputs.map(\.batchSize.bytes).min() ?? (1 << 20))
    }

    func run() async throws {
        // After a failed append the writer refuses to persist: the old positions stay.
        defer { try? persist() }
        var nextScan = ContinuousClock.now
        let outputMetrics = try state.config.outputs.map { try state.metrics.output($0.name) }
        while !Task.isCancelled {
            let now = ContinuousClock.now
            if now >= nextScan {
                for tailer in tailers { tailer.discover(now: now) }
                nextScan = now + Self.scanInterval
            }
            let blocked = writer.isBlocked(state.config.outputs.map { $0.whenFull == .block })
            state.metrics.paused.set(blocked ? 1 : 0)
            var more = false
            if !blocked {
                var chunks: [TailChunk] = []
                for (index, tailer) in tailers.enumerated() {
                    more = tailer.read(now: now, frameBytes: frameBytes, budget: 4 * frameBytes, into: &chunks) || more
                    do {
                        try append(chunks, input: inputs[index])
                    } catch {
                        state.logger.error("Cannot write to a log buffer; stopping", metadata: ["err": "\(error)"])
                        throw error
                    }
                    chunks.removeAll(keepingCapacity: true)
                }
            }
            for (index, buffer) in state.buffers.enumerated() where state.config.outputs[index].whenFull == .dropOldest {
                guard buffer.totalBytes > buffer.maxBytes else { continue }
                try persist()
                let dropped = buffer.dropOldest()
                if dropped > 0 {
                    outputMetrics[index].droppedBufferFull.increment(by: Double(dropped))
                    state.logger.warning("Log buffer full; dropped its oldest lines", metadata: [
                        "output": "\(state.config.outputs[index].name)", "lines": "\(dropped)",
                    ])
                }
            }
            if writer.hasUnpersisted && ContinuousClock.now - lastPersist >= Self.persistInterval {
                try persist()
            }
            if !more {
                try? await Task.sleep(for: Self.idleSleep)
            }
        }
    }

    private func append(_ chunks: [TailChunk], input: FileInputConfig) throws(LogsError) {
        guard !chunks.isEmpty else { return }
        try writer.append(chunks.map { chunk in
            var labels = input.labels
            labels["filename"] = chunk.checkpoint.labelPath
            return FrameWriter.Pending(
                labels: labels.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }, records: chunk.records,
                checkpoint: .file(chunk.checkpoint))
        })
    }

    /// Syncs the buffers, then writes every input's checkpoints as the positions file.
    func persist() throws(LogsError) {
        var checkpoints: [FileCheckpoint] = []
        for tailer in tailers { checkpoints.append(contentsOf: tailer.checkpoints.values) }
        try writer.persist(fileCheckpoints: checkpoints)
        lastPersist = .now
    }
}
