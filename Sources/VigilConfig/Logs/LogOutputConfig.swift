/// One entry of `logs.outputs`: where lines go (`type:` and its fields) and how they get there —
/// batching, the on-disk buffer and retries, which every output type shares.
///
/// `type` defaults to `loki`, so configs written before other types existed keep working. Keys
/// that belong to another type are unknown fields, reported at their `file:line:column`.
public struct LogOutputConfig: Sendable, Hashable, Decodable {
    /// The destination and its type's settings.
    public enum Destination: Sendable, Hashable {
        /// Loki's push API.
        case loki(LokiOutputConfig)
        /// Elasticsearch's or OpenSearch's `_bulk` API.
        case elasticsearch(ElasticsearchOutputConfig)
        /// ClickHouse's HTTP interface, `INSERT … FORMAT JSONEachRow`.
        case clickhouse(ClickHouseOutputConfig)
        /// Fluentd's forward protocol over TCP.
        case forward(ForwardOutputConfig)
        /// RFC 5424 syslog over TCP (octet counting) or UDP.
        case syslog(SyslogOutputConfig)
        /// A local file, rotated by size.
        case file(FileOutputConfig)
        /// The process's standard output.
        case stdout(StdoutOutputConfig)

        /// The `type:` value.
        public var typeName: String {
            switch self {
            case .loki: "loki"
            case .elasticsearch: "elasticsearch"
            case .clickhouse: "clickhouse"
            case .forward: "forward"
            case .syslog: "syslog"
            case .file: "file"
            case .stdout: "stdout"
            }
        }
    }

    /// A name for metrics, logs and the buffer's directory (default: the type).
    public var name: String
    /// Where the lines go.
    public var destination: Destination
    /// Labels added to every line sent.
    public var labels: [String: String]
    /// A batch is sent once its lines reach this many bytes (default 1MiB).
    public var batchSize: ByteSize
    /// … or once its first line has waited this long (default 1s).
    public var batchWait: PromDuration
    /// The on-disk buffer's size cap (default 1GiB).
    public var bufferMaxBytes: ByteSize
    /// What happens at the cap: `drop_oldest` (default; the oldest unsent lines are deleted and
    /// counted) or `block` (reading pauses until lines are sent; nothing is dropped).
    public var whenFull: WhenFull
    /// How long one request (or connection and acknowledgement) may take (default 10s).
    public var timeout: PromDuration
    /// Backoff between retries: starts at `min_backoff` (500ms), doubles up to `max_backoff` (5m).
    public var minBackoff: PromDuration
    /// The backoff's ceiling.
    public var maxBackoff: PromDuration
    /// Retries of one batch before it is dropped and counted; 0 (default) retries forever.
    public var maxRetries: Int

    /// What a full buffer does.
    public enum WhenFull: String, Sendable, Hashable, Decodable {
        /// Delete the oldest unsent segment, counting its lines as dropped.
        case dropOldest = "drop_oldest"
        /// Stop reading inputs until the sender frees space.
        case block
    }

    enum CodingKeys: String, CodingKey {
        case type, name, labels, timeout
        case batchSize = "batch_size"
        case batchWait = "batch_wait"
        case bufferMaxBytes = "buffer_max_bytes"
        case whenFull = "when_full"
        case minBackoff = "min_backoff"
        case maxBackoff = "max_backoff"
        case maxRetries = "max_retries"
    }

    /// An output to `destination` named `name` (default: its type), every other setting at its default.
    public init(name: String? = nil, _ destination: Destination) {
        self.name = name ?? destination.typeName
        self.destination = destination
        labels = [:]
        batchSize = ByteSize(bytes: 1 << 20)
        batchWait = .seconds(1)
        bufferMaxBytes = ByteSize(bytes: 1 << 30)
        whenFull = .dropOldest
        timeout = .seconds(10)
        minBackoff = PromDuration(milliseconds: 500)
        maxBackoff = .minutes(5)
        maxRetries = 0
    }

    /// A Loki output pushing to `url` (the shape every config had before `type:`).
    public init(name: String = "loki", url: ConfigURL) {
        self.init(name: name, .loki(LokiOutputConfig(url: url)))
    }

    /// The supported `type:` values.
    static let types = ["loki", "elasticsearch", "opensearch", "clickhouse", "forward", "syslog", "file", "stdout"]

    /// Decodes the shared settings, then the type's own from the same mapping.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.value(.type, default: "loki")
        guard Self.types.contains(type) else {
            throw ConfigValidationError(
                "unsupported output type \"\(type)\" (supported: \(Self.types.joined(separator: ", ")))", field: "type")
        }
        // The shared keys are read before the type's own, so that a type's validation error never
        // reports a shared key as unknown.
        let name = try container.value(.name, default: type)
        let labels: [String: String] = try container.map(.labels)
        let shared = LogOutputConfig(name: name, .stdout(StdoutOutputConfig()))
        let batchSize = try container.value(.batchSize, default: shared.batchSize)
        let batchWait = try container.value(.batchWait, default: shared.batchWait)
        let bufferMaxBytes = try container.value(.bufferMaxBytes, default: shared.bufferMaxBytes)
        let whenFull = try container.value(.whenFull, default: shared.whenFull)
        let timeout = try container.value(.timeout, default: shared.timeout)
        let minBackoff = try container.value(.minBackoff, default: shared.minBackoff)
        let maxBackoff = try container.value(.maxBackoff, default: shared.maxBackoff)
        let maxRetries = try container.count(.maxRetries)
        let destination: Destination
        switch type {
        case "elasticsearch", "opensearch": destination = .elasticsearch(try ElasticsearchOutputConfig(from: decoder))
        case "clickhouse": destination = .clickhouse(try ClickHouseOutputConfig(from: decoder))
        case "forward": destination = .forward(try ForwardOutputConfig(from: decoder))
        case "syslog": destination = .syslog(try SyslogOutputConfig(from: decoder))
        case "file": destination = .file(try FileOutputConfig(from: decoder))
        case "stdout": destination = .stdout(try StdoutOutputConfig(from: decoder))
        default: destination = .loki(try LokiOutputConfig(from: decoder))
        }
        self.init(name: name, destination)
        self.labels = labels
        self.batchSize = batchSize
        self.batchWait = batchWait
        self.bufferMaxBytes = bufferMaxBytes
        self.whenFull = whenFull
        self.timeout = timeout
        self.minBackoff = minBackoff
        self.maxBackoff = maxBackoff
        self.maxRetries = maxRetries
        try validateLabels(labels, field: "labels")
        guard name.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }),
              !name.isEmpty
        else { throw ConfigValidationError("name may hold only letters, digits, - and _", field: "name") }
        guard batchSize.bytes >= 1024, batchSize.bytes <= 64 << 20 else {
            throw ConfigValidationError("batch_size must be between 1KiB and 64MiB", field: "batch_size")
        }
        guard batchWait.milliseconds > 0 else { throw ConfigValidationError("batch_wait must be positive", field: "batch_wait") }
        guard bufferMaxBytes.bytes >= 4 * batchSize.bytes else {
            throw ConfigValidationError("buffer_max_bytes must be at least 4 × batch_size", field: "buffer_max_bytes")
        }
        guard timeout.milliseconds > 0 else { throw ConfigValidationError("timeout must be positive", field: "timeout") }
        guard minBackoff.milliseconds > 0, maxBackoff >= minBackoff else {
            throw ConfigValidationError("min_backoff must be positive and at most max_backoff", field: "min_backoff")
        }
    }

    /// The URL of an HTTP output (Loki, Elasticsearch, ClickHouse); nil for the others.
    public var url: ConfigURL? {
        switch destination {
        case .loki(let loki): loki.url
        case .elasticsearch(let elasticsearch): elasticsearch.url
        case .clickhouse(let clickhouse): clickhouse.url
        case .forward, .syslog, .file, .stdout: nil
        }
    }

    /// Joins relative credential and TLS paths, and a file output's path, to `directory`.
    mutating func resolvePaths(in directory: String) {
        switch destination {
        case .loki(var loki):
            loki.httpConfig.resolvePaths(in: directory)
            destination = .loki(loki)
        case .elasticsearch(var elasticsearch):
            elasticsearch.httpConfig.resolvePaths(in: directory)
            destination = .elasticsearch(elasticsearch)
        case .clickhouse(var clickhouse):
            clickhouse.httpConfig.resolvePaths(in: directory)
            if !clickhouse.passwordFile.isEmpty { clickhouse.passwordFile = joinDirectory(directory, clickhouse.passwordFile) }
            destination = .clickhouse(clickhouse)
        case .file(var file):
            file.path = joinDirectory(directory, file.path)
            destination = .file(file)
        case .forward(var forward):
            forward.resolvePaths(in: directory)
            destination = .forward(forward)
        case .syslog(var syslog):
            syslog.tls.config.resolvePaths(in: directory)
            destination = .syslog(syslog)
        case .stdout:
            break
        }
    }
}

/// Body compression of an HTTP output.
public enum HTTPCompression: String, Sendable, Hashable, Decodable {
    /// The body as is.
    case none
    /// `Content-Encoding: gzip`.
    case gzip
}

/// Decodes the `url` every HTTP output needs.
func requiredHTTPURL<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key, type: String) throws -> ConfigURL {
    guard let url = try container.optional(key, as: ConfigURL.self) else {
        throw ConfigValidationError("a \(type) output needs a url", field: .key(key.stringValue))
    }
    guard url.scheme == "http" || url.scheme == "https" else {
        throw ConfigValidationError("url must be http or https", field: .key(key.stringValue))
    }
    return url
}
