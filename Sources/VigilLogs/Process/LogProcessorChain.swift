import VigilConfig
public import VigilModel

/// The `processors:` of one input, built once and shared by its files: steps before the
/// multiline step run on single lines, steps after it on whole events (docs/LOGS.md).
final class LogProcessorChain: Sendable {
    enum Step: Sendable {
        case parse(ParseStep)
        case add(labels: [LogField], metadata: [LogField])
        case drop(labels: Set<String>, metadata: Set<String>)
        case rename(labels: [String: String], metadata: [String: String])
        case redact(RedactStep)
        case kubernetes(KubernetesStep)
        case kernelProblems(KernelProblemStep)
    }

    let before: [Step]
    let multiline: LogProcessorConfig.Multiline?
    let after: [Step]
    let metrics: ProcessingMetrics

    /// The steps of `configs`; `services` are what the Kubernetes and kernel steps talk to.
    init(_ configs: [LogProcessorConfig], services: LogProcessingServices, metrics: ProcessingMetrics) throws {
        var before: [Step] = []
        var after: [Step] = []
        var multiline: LogProcessorConfig.Multiline?
        for (index, config) in configs.enumerated() {
            let step: Step
            do {
                switch config.kind {
                case .multiline(let settings):
                    _ = try MultilineJoiner(config: settings)
                    multiline = settings
                    continue
                case .parser(let parser): step = .parse(try ParseStep(parser, metrics: metrics))
                case .add(let labels, let metadata):
                    step = .add(labels: Self.fields(labels), metadata: Self.fields(metadata))
                case .drop(let labels, let metadata): step = .drop(labels: Set(labels), metadata: Set(metadata))
                case .rename(let labels, let metadata): step = .rename(labels: labels, metadata: metadata)
                case .redact(let redact): step = .redact(try RedactStep(redact))
                case .kubernetes(let kubernetes): step = .kubernetes(KubernetesStep(kubernetes, services: services, metrics: metrics))
                case .kernelProblems: step = .kernelProblems(KernelProblemStep(services: services))
                }
            } catch {
                throw LogsError("input \"\(metrics.input)\": processors[\(index)]: \(error)")
            }
            if multiline == nil { before.append(step) } else { after.append(step) }
        }
        self.before = before
        self.after = after
        self.multiline = multiline
        self.metrics = metrics
    }

    static func fields(_ map: [String: String]) -> [LogField] {
        map.sorted { $0.key < $1.key }.map { LogField($0.key, $0.value) }
    }

    /// Whether no step is configured (records pass untouched).
    var isEmpty: Bool { before.isEmpty && after.isEmpty && multiline == nil }

    /// The per-file state of this chain for the file at `path`.
    func fileState(path: String) -> FileProcessing {
        FileProcessing(chain: self, kubernetesPath: KubernetesPath(path), joiner: multiline.flatMap { try? MultilineJoiner(config: $0) })
    }

    /// Runs `steps` on `record`; false when a step dropped it.
    func apply(_ steps: [Step], to record: inout LogRecord, path: KubernetesPath?) -> Bool {
        for step in steps {
            switch step {
            case .parse(let parse): parse.apply(to: &record, metrics: metrics)
            case .add(let labels, let metadata):
                for label in labels { record.setLabel(label.name, label.value) }
                for field in metadata { record.setMetadata(field.name, field.value) }
            case .drop(let labels, let metadata):
                record.labels.removeAll { labels.contains($0.name) }
                record.metadata.removeAll { metadata.contains($0.name) }
            case .rename(let labels, let metadata):
                for index in record.labels.indices {
                    if let new = labels[record.labels[index].name] { record.labels[index].name = new }
                }
                for index in record.metadata.indices {
                    if let new = metadata[record.metadata[index].name] { record.metadata[index].name = new }
                }
            case .redact(let redact): redact.apply(to: &record)
            case .kubernetes(let kubernetes):
                guard kubernetes.apply(to: &record, path: path) else {
                    metrics.droppedExcluded.increment()
                    return false
                }
            case .kernelProblems(let kernel): kernel.apply(to: &record)
            }
        }
        return true
    }
}

/// What the Kubernetes and kernel-problem steps talk to, supplied by the process running the
/// pipeline (``LogPipeline``).
public struct LogProcessingServices: Sendable {
    /// The pod cache; nil outside Kubernetes (path metadata only).
    public var pods: (any PodMetadataSource)?
    /// This node's name (`NODE_NAME` when empty).
    public var nodeName: String
    /// Receives each kernel problem found (the integrator posts a Kubernetes Event on the Node).
    public var kernelProblems: (@Sendable (KernelProblem) async -> Void)?
    /// Where `problem_counter` and `problem_gauge` are registered.
    public var registry: MetricsRegistry?
    /// Hands kernel problems from the reading task to `kernelProblems`; set by the pipeline.
    var reporter: KernelProblemReporter?

    /// Services for a pipeline; every one is optional.
    public init(
        pods: (any PodMetadataSource)? = nil, nodeName: String = "",
        kernelProblems: (@Sendable (KernelProblem) async -> Void)? = nil
    ) {
        self.pods = pods
        self.nodeName = nodeName
        self.kernelProblems = kernelProblems
    }
}
