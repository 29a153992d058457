/// One `type: http` entry of `logs.inputs`: Loki's push API (JSON or snappy protobuf) and plain
/// JSON lines over HTTP, answered only once the lines are durably in every output's buffer.
public struct HTTPInputConfig: Sendable, Hashable, Decodable {
    /// A name for metrics and logs (default `http`); unique among inputs.
    public var name: String
    /// Where to listen (default `0.0.0.0:3101`).
    public var address: ListenAddress
    /// A request body larger than this (after snappy decoding, for protobuf) is answered 413 (default 10MiB).
    public var maxBodySize: ByteSize
    /// Labels added to every line of this input.
    public var labels: [String: String]
    /// Processing steps (`processors`), as on file inputs but without `multiline` (docs/LOGS.md).
    public var processors: [LogProcessorConfig]

    enum CodingKeys: String, CodingKey {
        case type, name, address, labels
        case maxBodySize = "max_body_size"
    }

    /// An input listening on `address`, with every other setting at its default.
    public init(name: String = "http", address: ListenAddress = ListenAddress(host: "0.0.0.0", port: 3101)) {
        self.name = name
        self.address = address
        self.maxBodySize = ByteSize(bytes: 10 << 20)
        self.labels = [:]
        self.processors = []
    }

    /// Decodes with the defaults above.
    public init(from decoder: any Decoder) throws {
        processors = try PushedInputProcessors.decode(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        _ = try container.optional(.type, as: String.self)
        name = try container.value(.name, default: "http")
        address = try container.value(.address, default: ListenAddress(host: "0.0.0.0", port: 3101))
        maxBodySize = try container.value(.maxBodySize, default: ByteSize(bytes: 10 << 20))
        labels = try container.map(.labels)
        guard maxBodySize.bytes >= 1024, maxBodySize.bytes <= 256 << 20 else {
            throw ConfigValidationError("max_body_size must be between 1KiB and 256MiB", field: "max_body_size")
        }
        try validateLabels(labels, field: "labels")
    }
}
