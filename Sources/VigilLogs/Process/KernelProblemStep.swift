import VigilModel

/// Looks for node-problem-detector's kernel problems in each line; a match is counted
/// (`problem_counter`, `problem_gauge`), handed to the reporter, and marked on the line with
/// `problem_reason` metadata. The line itself is kept.
struct KernelProblemStep: Sendable {
    let rules = KernelProblemRules()
    let nodeName: String
    let reporter: KernelProblemReporter?

    init(services: LogProcessingServices) {
        nodeName = services.nodeName
        reporter = services.reporter
    }

    func apply(to record: inout LogRecord) {
        let text = String(decoding: record.line, as: UTF8.self)
        guard let found = rules.match(text) else { return }
        record.setMetadata("problem_reason", found.reason)
        reporter?.report(KernelProblem(
            reason: found.reason, conditionType: found.conditionType,
            severity: found.conditionType.isEmpty ? .temporary : .permanent, message: text, nodeName: nodeName,
            timestamp: record.timestamp))
    }
}

/// Carries kernel problems from the reading task to the pipeline's task that awaits the
/// `kernelProblems` closure, without blocking reading; counts them as NPD does.
///
/// At most `capacity` problems wait; past that the oldest waiting ones are dropped and counted
/// (the metrics still count every problem).
final class KernelProblemReporter: Sendable {
    let stream: AsyncStream<KernelProblem>
    private let continuation: AsyncStream<KernelProblem>.Continuation
    let metrics: ProblemMetrics?
    let dropped: Counter?
    static let capacity = 1024

    init(registry: MetricsRegistry?) {
        let pair = AsyncStream.makeStream(of: KernelProblem.self, bufferingPolicy: .bufferingNewest(Self.capacity))
        stream = pair.stream
        continuation = pair.continuation
        metrics = registry.map(ProblemMetrics.init)
        dropped = try? registry?.counter(
            name: "vigil_logs_kernel_problems_dropped_total",
            help: "Kernel problems not reported as events because too many were waiting.")
    }

    func report(_ problem: KernelProblem) {
        metrics?.record(problem)
        if case .dropped = continuation.yield(problem) { dropped?.increment() }
    }

    func finish() {
        continuation.finish()
    }
}
