import VigilModel

/// The log pipeline's self-metrics, registered on the process's ``MetricsRegistry``.
struct LogsMetrics: Sendable {
    /// The metrics of one input.
    struct Input: Sendable {
        let linesRead: Counter
        let parseErrors: Counter
        let linesTruncated: Counter
        let files: Gauge
        /// Messages a pushed input (syslog, HTTP, journal, kernel log) refused, by reason.
        let rejected: @Sendable (String) -> Counter?
    }

    /// The metrics of one output.
    struct Output: Sendable {
        let linesSent: Counter
        let bytesSent: Counter
        let linesRetried: Counter
        let droppedRejected: Counter
        let droppedRetriesExhausted: Counter
        let droppedBufferFull: Counter
        let bufferedBytes: Gauge
        let requests: Counter
    }

    let registry: MetricsRegistry
    let paused: Gauge

    init(registry: MetricsRegistry) throws {
        self.registry = registry
        paused = try registry.gauge(
            name: "vigil_logs_input_paused", help: "1 while reading is paused because an output's buffer is full.")
    }

    func input(_ name: String) throws -> Input {
        let labels: Labels = ["input": name]
        return Input(
            linesRead: try registry.counter(name: "vigil_logs_lines_read_total", help: "Log lines read by an input.", labels: labels),
            parseErrors: try registry.counter(
                name: "vigil_logs_parse_errors_total", help: "Lines that did not parse in the input's format (sent raw).",
                labels: labels),
            linesTruncated: try registry.counter(
                name: "vigil_logs_lines_truncated_total", help: "Lines cut at max_line_size.", labels: labels),
            files: try registry.gauge(name: "vigil_logs_files_tailed", help: "Files an input has open.", labels: labels),
            rejected: { [registry] reason in
                try? registry.counter(
                    name: "vigil_logs_input_errors_total",
                    help: "Messages an input refused (malformed, too large, bad framing), by reason.",
                    labels: ["input": name, "reason": reason])
            })
    }

    /// How often the pushed input `name` failed and was started again.
    func inputRestarts(_ name: String) throws -> Counter {
        try registry.counter(
            name: "vigil_logs_input_restarts_total", help: "Times an input (other than files) failed and was started again.",
            labels: ["input": name])
    }

    func output(_ name: String) throws -> Output {
        let labels: Labels = ["output": name]
        func dropped(_ reason: String) throws -> Counter {
            try registry.counter(
                name: "vigil_logs_lines_dropped_total", help: "Log lines an output dropped, by reason.",
                labels: ["output": name, "reason": reason])
        }
        return Output(
            linesSent: try registry.counter(
                name: "vigil_logs_lines_sent_total", help: "Log lines an output's receiver accepted.", labels: labels),
            bytesSent: try registry.counter(
                name: "vigil_logs_sent_bytes_total", help: "Request body bytes an output's receiver accepted.", labels: labels),
            linesRetried: try registry.counter(
                name: "vigil_logs_lines_retried_total", help: "Log lines in requests that failed and are retried.",
                labels: labels),
            droppedRejected: try dropped("rejected"),
            droppedRetriesExhausted: try dropped("retries_exhausted"),
            droppedBufferFull: try dropped("buffer_full"),
            bufferedBytes: try registry.gauge(
                name: "vigil_logs_buffer_bytes", help: "Bytes in an output's on-disk buffer.", labels: labels),
            requests: try registry.counter(
                name: "vigil_logs_requests_total", help: "Push requests an output made.", labels: labels))
    }
}
