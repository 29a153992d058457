import Logging
import VigilModel
@testable import VigilLogs

/// A ``FrameWriter`` over one real disk buffer in a temporary directory, and an ``InputContext``
/// on it: what an input test needs to run an input and read back what it buffered.
struct InputHarness {
    let buffer: DiskBuffer
    let writer: FrameWriter
    let context: InputContext
    let registry: MetricsRegistry

    init(directory: String, input: String = "in") throws {
        buffer = try DiskBuffer(directory: directory + "/queue", segmentSize: 1 << 20, maxBytes: 64 << 20)
        writer = FrameWriter(buffers: [buffer], positionsPath: directory + "/positions", sequence: 0, checkpoints: [])
        registry = MetricsRegistry()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        context = InputContext(
            writer: writer, blockingOutputs: [false], metrics: try LogsMetrics(registry: registry).input(input), logger: logger)
    }

    /// Every frame buffered so far.
    var frames: [BufferFrame] { buffer.frames(after: 0) }

    /// Every line buffered, with its frame's labels, in buffer order.
    var lines: [(labels: [String: String], record: LogRecord)] {
        frames.flatMap { frame in
            let labels = Dictionary(frame.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            return frame.records.map { (labels, $0) }
        }
    }

    /// The lines' text.
    var texts: [String] { lines.map { String(decoding: $0.record.line, as: UTF8.self) } }

    /// `vigil_logs_input_errors_total` for `reason`.
    func errors(_ reason: String, input: String = "in") -> Double {
        (try? registry.counter(
            name: "vigil_logs_input_errors_total",
            help: "Messages an input refused (malformed, too large, bad framing), by reason.",
            labels: ["input": input, "reason": reason]).value) ?? -1
    }
}
