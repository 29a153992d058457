/// One `type: syslog` entry of `logs.inputs`: RFC 3164 and RFC 5424 messages received over UDP,
/// TCP, or a unix socket (datagram or stream).
public struct SyslogInputConfig: Sendable, Hashable, Decodable {
    /// The transport.
    public enum Mode: String, Sendable, Hashable, Decodable {
        /// One message per UDP datagram.
        case udp
        /// A TCP stream, framed as ``Framing`` says.
        case tcp
        /// One message per datagram on a unix socket (what `/dev/log` is).
        case unixDatagram = "unix_datagram"
        /// A unix stream socket, framed like TCP.
        case unixStream = "unix_stream"

        /// Whether messages arrive on a byte stream that needs framing.
        public var isStream: Bool { self == .tcp || self == .unixStream }
        /// Whether the input listens on a socket file rather than an address.
        public var isUnix: Bool { self == .unixDatagram || self == .unixStream }
    }

    /// How messages are delimited on a stream (RFC 6587).
    public enum Framing: String, Sendable, Hashable, Decodable {
        /// Per message: a frame starting with a digit is octet-counted, anything else ends at LF.
        case auto
        /// `<length> <message>` (RFC 6587 §3.4.1, RFC 5425).
        case octetCounted = "octet_counted"
        /// Each message ends with `\n` (RFC 6587 §3.4.2, non-transparent framing).
        case newline
    }

    /// A name for metrics and logs (default `syslog`); unique among inputs.
    public var name: String
    /// `udp` (default), `tcp`, `unix_datagram` or `unix_stream`.
    public var mode: Mode
    /// Where UDP and TCP listen (default `0.0.0.0:5514`).
    public var address: ListenAddress
    /// The socket file of the unix modes (created; an old socket file there is replaced).
    public var path: String
    /// Stream framing (default `auto`).
    public var framing: Framing
    /// A message larger than this is dropped and counted (default 64KiB); on a stream, a frame
    /// that announces more, or a line that runs past it, closes the connection.
    public var maxMessageSize: ByteSize
    /// A stream connection silent this long is closed (default 5m).
    public var idleTimeout: PromDuration
    /// Stream connections accepted at once (default 256); more wait in the listen backlog.
    public var maxConnections: Int
    /// Messages are written to the buffers in batches: at most this long after the first one
    /// arrived (default 200ms), or sooner when a batch holds 1MiB.
    public var batchWait: PromDuration
    /// Labels added to every line of this input.
    public var labels: [String: String]
    /// Processing steps (`processors`), as on file inputs but without `multiline` (docs/LOGS.md).
    public var processors: [LogProcessorConfig]
    /// TLS on the `tcp` mode (`tls_server_config`; RFC 5425, usually port 6514); nil for plain TCP.
    public var tls: ServerTLSConfig?

    enum CodingKeys: String, CodingKey {
        case type, name, mode, address, path, framing, labels
        case tls = "tls_server_config"
        case maxMessageSize = "max_message_size"
        case idleTimeout = "idle_timeout"
        case maxConnections = "max_connections"
        case batchWait = "batch_wait"
    }

    /// An input in `mode` at `address` (or `path`), with every other setting at its default.
    public init(name: String = "syslog", mode: Mode = .udp, address: ListenAddress = ListenAddress(host: "0.0.0.0", port: 5514), path: String = "") {
        self.name = name
        self.mode = mode
        self.address = address
        self.path = path
        self.framing = .auto
        self.maxMessageSize = ByteSize(bytes: 64 << 10)
        self.idleTimeout = .minutes(5)
        self.maxConnections = 256
        self.batchWait = PromDuration(milliseconds: 200)
        self.labels = [:]
        self.processors = []
        self.tls = nil
    }

    /// Decodes with the defaults above; a unix mode needs `path`, the others must not have one.
    public init(from decoder: any Decoder) throws {
        processors = try PushedInputProcessors.decode(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        _ = try container.optional(.type, as: String.self)
        name = try container.value(.name, default: "syslog")
        mode = try container.value(.mode, default: .udp)
        address = try container.value(.address, default: ListenAddress(host: "0.0.0.0", port: 5514))
        path = try container.value(.path, default: "")
        framing = try container.value(.framing, default: .auto)
        maxMessageSize = try container.value(.maxMessageSize, default: ByteSize(bytes: 64 << 10))
        idleTimeout = try container.value(.idleTimeout, default: .minutes(5))
        maxConnections = try container.value(.maxConnections, default: 256)
        batchWait = try container.value(.batchWait, default: PromDuration(milliseconds: 200))
        labels = try container.map(.labels)
        tls = try container.optional(.tls)
        if tls != nil && mode != .tcp {
            throw ConfigValidationError("tls_server_config applies only to mode tcp", field: "tls_server_config")
        }
        if mode.isUnix && path.isEmpty {
            throw ConfigValidationError("mode \(mode.rawValue) needs a socket path", field: "path")
        }
        if !mode.isUnix && !path.isEmpty {
            throw ConfigValidationError("path is only for the unix modes; \(mode.rawValue) listens on address", field: "path")
        }
        if !mode.isStream && container.contains(.framing) {
            throw ConfigValidationError("framing applies only to tcp and unix_stream", field: "framing")
        }
        guard maxMessageSize.bytes >= 480, maxMessageSize.bytes <= 64 << 20 else {
            throw ConfigValidationError("max_message_size must be between 480B (RFC 3164's minimum) and 64MiB", field: "max_message_size")
        }
        guard idleTimeout > .zero else { throw ConfigValidationError("idle_timeout must be positive", field: "idle_timeout") }
        guard maxConnections > 0 else { throw ConfigValidationError("max_connections must be positive", field: "max_connections") }
        guard batchWait > .zero, batchWait <= .seconds(10) else {
            throw ConfigValidationError("batch_wait must be above 0 and at most 10s", field: "batch_wait")
        }
        try validateLabels(labels, field: "labels")
    }
}
