/// One `type: loki` entry of `logs.outputs`: Loki's push API, fed from a durable on-disk buffer.
public struct LokiOutputConfig: Sendable, Hashable, Decodable {
    /// A name for metrics, logs and the buffer's directory (default `loki`).
    public var name: String
    /// The push endpoint, such as `http://loki:3100/loki/api/v1/push`. Required.
    public var url: ConfigURL
    /// Labels added to every stream sent.
    public var labels: [String: String]
    /// Sent as `X-Scope-OrgID` when set.
    public var tenantID: String
    /// A batch is sent once its lines reach this many bytes (default 1MiB).
    public var batchSize: ByteSize
    /// … or once its first line has waited this long (default 1s).
    public var batchWait: PromDuration
    /// The on-disk buffer's size cap (default 1GiB).
    public var bufferMaxBytes: ByteSize
    /// What happens at the cap: `drop_oldest` (default; the oldest unsent lines are deleted and
    /// counted) or `block` (reading pauses until lines are sent; nothing is dropped).
    public var whenFull: WhenFull
    /// How long one push may take (default 10s).
    public var timeout: PromDuration
    /// Backoff between retries: starts at `min_backoff` (500ms), doubles up to `max_backoff` (5m).
    public var minBackoff: PromDuration
    /// The backoff's ceiling.
    public var maxBackoff: PromDuration
    /// Retries of one batch before it is dropped and counted; 0 (default) retries forever.
    public var maxRetries: Int
    /// The request body: `json` (default) or `protobuf` (snappy-compressed `logproto.PushRequest`,
    /// what Promtail sends).
    public var encoding: Encoding
    /// TLS, authentication, proxy and headers (`http_config`, Prometheus's `http_client_config`).
    public var httpConfig: HTTPClientConfig

    /// How a push request's body is encoded.
    public enum Encoding: String, Sendable, Hashable, Decodable {
        /// `application/json`.
        case json
        /// `application/x-protobuf`, snappy-compressed.
        case protobuf
    }

    /// What a full buffer does.
    public enum WhenFull: String, Sendable, Hashable, Decodable {
        /// Delete the oldest unsent segment, counting its lines as dropped.
        case dropOldest = "drop_oldest"
        /// Stop reading inputs until the sender frees space.
        case block
    }

    enum CodingKeys: String, CodingKey {
        case type, name, url, labels, timeout, encoding
        case tenantID = "tenant_id"
        case batchSize = "batch_size"
        case batchWait = "batch_wait"
        case bufferMaxBytes = "buffer_max_bytes"
        case whenFull = "when_full"
        case minBackoff = "min_backoff"
        case maxBackoff = "max_backoff"
        case maxRetries = "max_retries"
        case httpConfig = "http_config"
    }

    /// An output pushing to `url`, with every other setting at its default.
    public init(name: String = "loki", url: ConfigURL) {
        self.name = name
        self.url = url
        labels = [:]
        tenantID = ""
        batchSize = ByteSize(bytes: 1 << 20)
        batchWait = .seconds(1)
        bufferMaxBytes = ByteSize(bytes: 1 << 30)
        whenFull = .dropOldest
        timeout = .seconds(10)
        minBackoff = PromDuration(milliseconds: 500)
        maxBackoff = .minutes(5)
        maxRetries = 0
        encoding = .json
        httpConfig = HTTPClientConfig()
    }

    /// Decodes with the defaults above and checks the values.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.value(.type, default: "loki")
        let url = try container.optional(.url, as: ConfigURL.self)
        name = try container.value(.name, default: "loki")
        labels = try container.map(.labels)
        tenantID = try container.value(.tenantID, default: "")
        batchSize = try container.value(.batchSize, default: ByteSize(bytes: 1 << 20))
        batchWait = try container.value(.batchWait, default: .seconds(1))
        bufferMaxBytes = try container.value(.bufferMaxBytes, default: ByteSize(bytes: 1 << 30))
        whenFull = try container.value(.whenFull, default: .dropOldest)
        timeout = try container.value(.timeout, default: .seconds(10))
        minBackoff = try container.value(.minBackoff, default: PromDuration(milliseconds: 500))
        maxBackoff = try container.value(.maxBackoff, default: .minutes(5))
        maxRetries = try container.count(.maxRetries)
        encoding = try container.value(.encoding, default: .json)
        httpConfig = try container.value(.httpConfig, default: HTTPClientConfig())
        guard type == "loki" else {
            throw ConfigValidationError("unsupported output type \"\(type)\" (supported: loki)", field: "type")
        }
        guard let url else { throw ConfigValidationError("a loki output needs a url", field: "url") }
        guard url.scheme == "http" || url.scheme == "https" else {
            throw ConfigValidationError("url must be http or https", field: "url")
        }
        self.url = url
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
}
