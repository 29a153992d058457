/// One `type: kmsg` entry of `logs.inputs`: the kernel's log records from `/dev/kmsg`.
public struct KmsgInputConfig: Sendable, Hashable, Decodable {
    /// A name for metrics, logs and the checkpoint (default `kmsg`); unique among inputs.
    public var name: String
    /// The device to read (default `/dev/kmsg`); another path is read the same way (tests use a fifo).
    public var path: String
    /// Where the boot id comes from (default `/proc/sys/kernel/random/boot_id`).
    public var bootIDPath: String
    /// Labels added to every line of this input.
    public var labels: [String: String]
    /// Processing steps (`processors`), as on file inputs but without `multiline` (docs/LOGS.md).
    public var processors: [LogProcessorConfig]

    enum CodingKeys: String, CodingKey {
        case type, name, path, labels
        case bootIDPath = "boot_id_path"
    }

    /// An input reading `path`, with every other setting at its default.
    public init(name: String = "kmsg", path: String = "/dev/kmsg", bootIDPath: String = "/proc/sys/kernel/random/boot_id") {
        self.name = name
        self.path = path
        self.bootIDPath = bootIDPath
        self.labels = [:]
        self.processors = []
    }

    /// Decodes with the defaults above.
    public init(from decoder: any Decoder) throws {
        processors = try PushedInputProcessors.decode(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        _ = try container.optional(.type, as: String.self)
        name = try container.value(.name, default: "kmsg")
        path = try container.value(.path, default: "/dev/kmsg")
        bootIDPath = try container.value(.bootIDPath, default: "/proc/sys/kernel/random/boot_id")
        labels = try container.map(.labels)
        guard !path.isEmpty else { throw ConfigValidationError("path must not be empty", field: "path") }
        try validateLabels(labels, field: "labels")
    }
}
