/// Vigil's `logs:` section: where log lines are read from and where they are shipped.
///
/// It sits beside `prometheus.yml`'s own sections in the same file (``PrometheusConfig/logs``), so
/// `vigil check config` checks it and a reload re-reads it. Every line read by any input is sent to
/// every output. `VigilLogs` runs it; the schema lives here with the rest of the file's.
public struct LogsConfig: Sendable, Hashable, Decodable {
    /// Where lines come from (`inputs`): files, the kernel log, syslog, the journal, HTTP.
    public var inputs: [LogInputConfig]
    /// Destinations (`outputs`).
    public var outputs: [LogOutputConfig]
    /// The API server the `kubernetes` processors' pod cache watches (`kubernetes`:
    /// `api_server`, or `kubeconfig_file` and `context`). Absent: the in-cluster service account
    /// when running in a pod, else no pod cache (path metadata only).
    public var kubernetes: KubernetesAPIAccess?

    /// An empty section: nothing is read, nothing is shipped.
    public init(inputs: [LogInputConfig] = [], outputs: [LogOutputConfig] = []) {
        self.inputs = inputs
        self.outputs = outputs
        self.kubernetes = nil
    }

    /// Whether any input runs a `kubernetes` processor, which wants the pod cache.
    public var usesPodMetadata: Bool {
        inputs.contains { input in
            input.processors.contains { if case .kubernetes = $0.kind { true } else { false } }
        }
    }

    /// Whether any input runs a `kernel_problems` processor, whose findings become Node events.
    public var findsKernelProblems: Bool {
        inputs.contains { input in
            input.processors.contains { if case .kernelProblems = $0.kind { true } else { false } }
        }
    }

    /// The `type: file` inputs, in order.
    public var fileInputs: [FileInputConfig] {
        inputs.compactMap { if case .file(let file) = $0 { file } else { nil } }
    }

    enum CodingKeys: String, CodingKey {
        case inputs, outputs, kubernetes
    }

    /// Decodes the inputs and outputs and checks their names are unique.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        inputs = try container.list(.inputs)
        outputs = try container.list(.outputs)
        kubernetes = try container.optional(.kubernetes)
        var names: Set<String> = []
        for (index, input) in inputs.enumerated() where !names.insert(input.name).inserted {
            throw ConfigValidationError("duplicate input name \"\(input.name)\"", field: "inputs", .index(index), "name")
        }
        names = []
        for (index, output) in outputs.enumerated() where !names.insert(output.name).inserted {
            throw ConfigValidationError("duplicate output name \"\(output.name)\"", field: "outputs", .index(index), "name")
        }
        if !inputs.isEmpty && outputs.isEmpty {
            throw ConfigValidationError("inputs are configured but no output", field: "outputs")
        }
    }

    /// Joins relative paths (globs, TLS and credential files) to `directory`, the config file's.
    public mutating func resolvePaths(in directory: String) {
        for index in inputs.indices {
            switch inputs[index] {
            case .file(var file):
                file.paths = file.paths.map { joinDirectory(directory, $0) }
                file.exclude = file.exclude.map { joinDirectory(directory, $0) }
                inputs[index] = .file(file)
            case .syslog(var syslog):
                if !syslog.path.isEmpty { syslog.path = joinDirectory(directory, syslog.path) }
                syslog.tls?.resolvePaths(in: directory)
                inputs[index] = .syslog(syslog)
            case .http(var http):
                http.resolvePaths(in: directory)
                inputs[index] = .http(http)
            case .kmsg, .journal:
                break
            }
        }
        for index in outputs.indices {
            outputs[index].resolvePaths(in: directory)
        }
        kubernetes?.resolvePaths(in: directory)
    }
}
