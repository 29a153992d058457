/// One `type: file` entry of `logs.inputs`: files to tail, found by glob patterns.
public struct FileInputConfig: Sendable, Hashable, Decodable {
    /// How each line of a file is framed.
    public enum Format: String, Sendable, Hashable, Decodable {
        /// The line is the message; its timestamp is the time it was read.
        case raw
        /// Kubernetes CRI container logs: `<RFC3339Nano> <stdout|stderr> <P|F> <message>`.
        case cri
        /// Docker's json-file driver: `{"log":…,"stream":…,"time":…}`.
        case docker
    }

    /// A name for metrics and logs (default `file`); unique among inputs.
    public var name: String
    /// Glob patterns (`*`, `?`, `[…]`; no `**`), re-scanned every second.
    public var paths: [String]
    /// Glob patterns of files never read, even when `paths` matches them.
    public var exclude: [String]
    /// Whether files found at the very first start (no checkpoints yet) are read from their
    /// beginning (true) or from their end (false, default). Files appearing later, and files
    /// found after a restart without a checkpoint, are always read from their beginning.
    public var readFromHead: Bool
    /// How lines are framed (default `raw`).
    public var format: Format
    /// Labels added to every line of this input.
    public var labels: [String: String]
    /// Lines longer than this are cut (the rest skipped) and counted (default 256KiB).
    public var maxLineSize: ByteSize
    /// How long a renamed-away file is kept open after it stopped growing (default 5s).
    public var rotateWait: PromDuration
    /// Steps applied to every line after its framing, in order (at most one `multiline`).
    public var processors: [LogProcessorConfig]

    enum CodingKeys: String, CodingKey {
        case type, name, paths, exclude, format, labels, processors
        case readFromHead = "read_from_head"
        case maxLineSize = "max_line_size"
        case rotateWait = "rotate_wait"
    }

    /// An input reading `paths`, with every other setting at its default.
    public init(name: String = "file", paths: [String], format: Format = .raw, readFromHead: Bool = false) {
        self.name = name
        self.paths = paths
        self.exclude = []
        self.readFromHead = readFromHead
        self.format = format
        self.labels = [:]
        self.maxLineSize = ByteSize(bytes: 256 << 10)
        self.rotateWait = .seconds(5)
        self.processors = []
    }

    /// Decodes with the defaults above; `type` must be `file`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.value(.type, default: "file")
        name = try container.value(.name, default: "file")
        paths = try container.list(.paths)
        exclude = try container.list(.exclude)
        readFromHead = try container.value(.readFromHead, default: false)
        format = try container.value(.format, default: .raw)
        labels = try container.map(.labels)
        maxLineSize = try container.value(.maxLineSize, default: ByteSize(bytes: 256 << 10))
        rotateWait = try container.value(.rotateWait, default: .seconds(5))
        processors = try container.list(.processors)
        guard type == "file" else {
            throw ConfigValidationError("unsupported input type \"\(type)\" (supported: file)", field: "type")
        }
        guard !paths.isEmpty else { throw ConfigValidationError("a file input needs at least one path", field: "paths") }
        for (index, pattern) in (paths + exclude).enumerated() {
            do {
                _ = try Glob.expand(pattern)
            } catch {
                let field: ConfigPathComponent = index < paths.count ? "paths" : "exclude"
                throw ConfigValidationError("invalid glob pattern \"\(pattern)\"", field: field)
            }
        }
        try validateLabels(labels, field: "labels")
        guard maxLineSize.bytes >= 1024 else {
            throw ConfigValidationError("max_line_size must be at least 1KiB", field: "max_line_size")
        }
        var sawMultiline = false
        for (index, processor) in processors.enumerated() {
            guard case .multiline = processor.kind else { continue }
            guard !sawMultiline else {
                throw ConfigValidationError("an input takes at most one multiline step", field: "processors", .index(index))
            }
            sawMultiline = true
        }
    }
}

/// Rejects label names Loki would reject.
func validateLabels(_ labels: [String: String], field: ConfigPathComponent) throws(ConfigValidationError) {
    for name in labels.keys.sorted() where !LabelName.isValid(name) || name.hasPrefix("__") {
        throw ConfigValidationError("invalid label name \"\(name)\"", field: field, .key(name))
    }
}
