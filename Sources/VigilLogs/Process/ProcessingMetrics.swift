import VigilModel

/// Self-metrics of one input's processors.
struct ProcessingMetrics: Sendable {
    let linesParsed: Counter
    let droppedExcluded: Counter
    let multilineEvents: Counter
    let multilineAtLimit: Counter
    let podUnknown: Counter
    let registry: MetricsRegistry
    let input: String

    init(registry: MetricsRegistry, input: String) throws {
        self.registry = registry
        self.input = input
        let labels: Labels = ["input": input]
        linesParsed = try registry.counter(
            name: "vigil_logs_lines_parsed_total", help: "Lines a parser step read into fields.", labels: labels)
        droppedExcluded = try registry.counter(
            name: "vigil_logs_input_lines_dropped_total", help: "Lines an input's processors dropped, by reason.",
            labels: ["input": input, "reason": "excluded_pod"])
        multilineEvents = try registry.counter(
            name: "vigil_logs_multiline_events_total", help: "Multiline events of more than one line sent.", labels: labels)
        multilineAtLimit = try registry.counter(
            name: "vigil_logs_multiline_flushed_at_limit_total",
            help: "Multiline events sent early because they reached max_lines or max_bytes (the rest starts a new event).",
            labels: labels)
        podUnknown = try registry.counter(
            name: "vigil_logs_kubernetes_pod_unknown_total",
            help: "Lines of container logs whose pod the pod cache did not know (path metadata only).", labels: labels)
    }

    /// Parse failures of one parser step (the lines are kept, with `__error__`).
    func parseErrors(_ parser: String) throws -> Counter {
        try registry.counter(
            name: "vigil_logs_processor_parse_errors_total",
            help: "Lines a parser step could not read (kept, labelled __error__).",
            labels: ["input": input, "parser": parser])
    }
}

/// node-problem-detector's metrics: `problem_counter{reason}` and `problem_gauge{type,reason}`.
struct ProblemMetrics: Sendable {
    let registry: MetricsRegistry

    func record(_ problem: KernelProblem) {
        let counter = try? registry.counter(
            name: "problem_counter", help: "Number of times a specific type of problem have occurred.",
            labels: ["reason": problem.reason])
        counter?.increment()
        if problem.severity == .permanent {
            let gauge = try? registry.gauge(
                name: "problem_gauge", help: "Whether a specific type of problem is affecting the node or not.",
                labels: ["reason": problem.reason, "type": problem.conditionType])
            gauge?.set(1)
        }
    }
}
