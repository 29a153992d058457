/// One entry of `logs.inputs`, chosen by its `type` (default `file`, so configs written before
/// the other types existed keep working).
public enum LogInputConfig: Sendable, Hashable, Decodable {
    /// `type: file`: files found by glob patterns.
    case file(FileInputConfig)
    /// `type: kmsg`: the kernel log ring buffer.
    case kmsg(KmsgInputConfig)
    /// `type: syslog`: syslog messages over UDP, TCP or a unix socket.
    case syslog(SyslogInputConfig)
    /// `type: journal`: the systemd journal through `journalctl -o export -f`.
    case journal(JournalInputConfig)
    /// `type: http`: Loki push and plain JSON over HTTP.
    case http(HTTPInputConfig)

    /// The input's unique name, for metrics, logs and checkpoints.
    public var name: String {
        switch self {
        case .file(let config): config.name
        case .kmsg(let config): config.name
        case .syslog(let config): config.name
        case .journal(let config): config.name
        case .http(let config): config.name
        }
    }

    /// The input's processing steps.
    public var processors: [LogProcessorConfig] {
        switch self {
        case .file(let config): config.processors
        case .kmsg(let config): config.processors
        case .syslog(let config): config.processors
        case .journal(let config): config.processors
        case .http(let config): config.processors
        }
    }

    /// The input types `type:` accepts.
    static let types = ["file", "kmsg", "syslog", "journal", "http"]

    private enum TypeKey: String, CodingKey {
        case type
    }

    /// Reads `type`, then the entry as that type's configuration.
    public init(from decoder: any Decoder) throws {
        let type = try decoder.container(keyedBy: TypeKey.self).value(.type, default: "file")
        switch type {
        case "file": self = .file(try FileInputConfig(from: decoder))
        case "kmsg": self = .kmsg(try KmsgInputConfig(from: decoder))
        case "syslog": self = .syslog(try SyslogInputConfig(from: decoder))
        case "journal": self = .journal(try JournalInputConfig(from: decoder))
        case "http": self = .http(try HTTPInputConfig(from: decoder))
        default:
            // The unknown type is the problem to report, not the fields such a type would have.
            let fields = try decoder.container(keyedBy: PathCodingKey.self)
            for key in fields.allKeys { _ = fields.contains(key) }
            throw ConfigValidationError(
                "unsupported input type \"\(type)\" (supported: \(Self.types.joined(separator: ", ")))", field: "type")
        }
    }
}
