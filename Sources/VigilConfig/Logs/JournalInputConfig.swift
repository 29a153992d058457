/// One `type: journal` entry of `logs.inputs`: the systemd journal, read by following
/// `journalctl -o export -f` from a checkpointed cursor.
public struct JournalInputConfig: Sendable, Hashable, Decodable {
    /// A name for metrics, logs and the checkpoint (default `journal`); unique among inputs.
    public var name: String
    /// The `journalctl` to run: a path, or a name looked up on `PATH` (default `journalctl`).
    public var journalctl: String
    /// Read this journal directory (`--directory`) instead of the system's journal.
    public var directory: String?
    /// Only these units (`--unit`, each); all when empty.
    public var units: [String]
    /// Labels added to every line of this input.
    public var labels: [String: String]
    /// Processing steps (`processors`), as on file inputs but without `multiline` (docs/LOGS.md).
    public var processors: [LogProcessorConfig]
    /// Entries larger than this are skipped and counted (default 1MiB).
    public var maxEntrySize: ByteSize

    enum CodingKeys: String, CodingKey {
        case type, name, journalctl, directory, units, labels
        case maxEntrySize = "max_entry_size"
    }

    /// An input running `journalctl`, with every other setting at its default.
    public init(name: String = "journal", journalctl: String = "journalctl") {
        self.name = name
        self.journalctl = journalctl
        self.directory = nil
        self.units = []
        self.labels = [:]
        self.processors = []
        self.maxEntrySize = ByteSize(bytes: 1 << 20)
    }

    /// Decodes with the defaults above.
    public init(from decoder: any Decoder) throws {
        processors = try PushedInputProcessors.decode(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        _ = try container.optional(.type, as: String.self)
        name = try container.value(.name, default: "journal")
        journalctl = try container.value(.journalctl, default: "journalctl")
        directory = try container.optional(.directory)
        units = try container.list(.units)
        labels = try container.map(.labels)
        maxEntrySize = try container.value(.maxEntrySize, default: ByteSize(bytes: 1 << 20))
        guard !journalctl.isEmpty else { throw ConfigValidationError("journalctl must not be empty", field: "journalctl") }
        try validateLabels(labels, field: "labels")
        guard maxEntrySize.bytes >= 1024 else {
            throw ConfigValidationError("max_entry_size must be at least 1KiB", field: "max_entry_size")
        }
    }
}
