import Logging
import VigilModel

/// What an input other than files needs from the pipeline: the shared ``FrameWriter``, whether
/// an output asks inputs to wait when its buffer is full, the input's metrics and a logger.
struct InputContext: Sendable {
    let writer: FrameWriter
    /// Per output: `when_full: block`.
    let blockingOutputs: [Bool]
    let metrics: LogsMetrics.Input
    let logger: Logger
    /// The input's `processors`; nil when it has none.
    var chain: LogProcessorChain? = nil

    /// Whether a `when_full: block` output's buffer is at its cap.
    var isBlocked: Bool { writer.isBlocked(blockingOutputs) }

    /// Returns once no blocking output is full (or the task is cancelled).
    func waitUntilWritable() async {
        while isBlocked && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Counts a refused message and logs it (at most once per reason a minute would be kinder,
    /// but a debug line per message keeps the place findable without flooding at info).
    func reject(_ reason: String, _ message: String) {
        metrics.rejected(reason)?.increment()
        logger.debug("Refused a log message", metadata: ["reason": "\(reason)", "err": "\(message)"])
    }
}

/// An input whose lines are not read from files: it runs until cancelled, writing batches of
/// lines through its ``InputContext``.
protocol PushedInput: Sendable {
    func run() async throws
}

/// Lines gathered for one write: frames by label set, each with the checkpoint that holds once
/// it is buffered.
///
/// `ordered` batches (kernel log, journal: inputs that resume from a checkpoint) start a new frame
/// whenever the labels change, so frames follow the source's order and each frame's checkpoint
/// covers exactly the lines before it. Unordered batches (syslog, HTTP) share one frame per label
/// set.
struct RecordBatch: Sendable {
    let baseLabels: [String: String]
    let ordered: Bool
    /// Run on every record added; a record a step drops is not added.
    let chain: LogProcessorChain?
    private(set) var frames: [FrameWriter.Pending] = []
    private var frameIndex: [[String]: Int] = [:]
    /// Line bytes gathered.
    private(set) var bytes = 0
    private(set) var count = 0

    init(baseLabels: [String: String], ordered: Bool, chain: LogProcessorChain? = nil) {
        self.baseLabels = baseLabels
        self.ordered = ordered
        self.chain = chain
    }

    var isEmpty: Bool { count == 0 }

    mutating func add(_ record: LogRecord, labels extra: [String: String], checkpoint: InputCheckpoint) {
        var record = record
        // A dropped record's checkpoint is not carried: it is read (and dropped) again after a restart.
        if let chain, !(chain.apply(chain.before, to: &record, path: nil) && chain.apply(chain.after, to: &record, path: nil)) {
            return
        }
        var labels = baseLabels
        for (name, value) in extra where !value.isEmpty { labels[name] = value }
        let sorted = labels.sorted { $0.key < $1.key }
        let key = sorted.flatMap { [$0.key, $0.value] }
        bytes += record.line.count
        count += 1
        if ordered {
            if let last = frames.indices.last, frames[last].labels.map({ [$0.name, $0.value] }).joined().elementsEqual(key) {
                frames[last].records.append(record)
                frames[last].checkpoint = checkpoint
                return
            }
        } else if let index = frameIndex[key] {
            frames[index].records.append(record)
            return
        }
        frameIndex[key] = frames.count
        frames.append(
            FrameWriter.Pending(labels: sorted.map { (name: $0.key, value: $0.value) }, records: [record], checkpoint: checkpoint))
    }

    /// Takes the frames, leaving the batch empty.
    mutating func take() -> [FrameWriter.Pending] {
        defer {
            frames = []
            frameIndex = [:]
            bytes = 0
            count = 0
        }
        return frames
    }
}
