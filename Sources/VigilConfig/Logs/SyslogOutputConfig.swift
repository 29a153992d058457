/// The fields of a `type: syslog` output: RFC 5424 messages over TCP (octet counting, RFC 6587),
/// TLS (the same framing, RFC 5425) or UDP (one message per datagram, RFC 5426).
public struct SyslogOutputConfig: Sendable, Hashable, Decodable {
    /// `host:port` of the syslog receiver. Required.
    public var address: String
    /// `tcp` (default) or `udp`.
    public var transport: Transport
    /// The facility name (`kern`, `user`, … `local7`; default `user`).
    public var facility: String
    /// The severity name (`emerg` … `debug`; default `info`).
    public var severity: String
    /// APP-NAME (default `vigil`); a line's label of this name, when `app_name_label` names one, wins.
    public var appName: String
    /// A label whose value becomes APP-NAME (such as `container`), if set.
    public var appNameLabel: String
    /// HOSTNAME (default: this host's name).
    public var hostname: String
    /// UDP datagrams are cut to this many bytes (default 2048, RFC 5426's safe size is 480–2048).
    public var maxDatagramSize: Int
    /// TLS over the TCP transport (`tls: true` and `tls_config`), as RFC 5425 frames it.
    public var tls: StreamTLSConfig

    /// How messages travel.
    public enum Transport: String, Sendable, Hashable, Decodable {
        /// A TCP stream, each message prefixed with its length.
        case tcp
        /// One UDP datagram per message.
        case udp
    }

    enum CodingKeys: String, CodingKey {
        case address, transport, facility, severity, hostname
        case appName = "app_name"
        case appNameLabel = "app_name_label"
        case maxDatagramSize = "max_datagram_size"
    }

    /// The facility names, in code order.
    public static let facilities = [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp",
        "security", "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ]
    /// The severity names, in code order.
    public static let severities = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"]

    /// Sending to `address` over TCP as `user.info` from APP-NAME `vigil`.
    public init(address: String) {
        self.address = address
        transport = .tcp
        facility = "user"
        severity = "info"
        appName = "vigil"
        appNameLabel = ""
        hostname = ""
        maxDatagramSize = 2048
        tls = StreamTLSConfig()
    }

    /// Decodes the syslog fields of an output entry.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(address: try requiredHostPort(container, .address, type: "syslog"))
        transport = try container.value(.transport, default: .tcp)
        facility = try container.value(.facility, default: facility)
        severity = try container.value(.severity, default: severity)
        appName = try container.value(.appName, default: appName)
        appNameLabel = try container.value(.appNameLabel, default: "")
        hostname = try container.value(.hostname, default: "")
        maxDatagramSize = try container.value(.maxDatagramSize, default: 2048)
        tls = try StreamTLSConfig(from: decoder)
        if tls.enabled && transport == .udp {
            throw ConfigValidationError("tls needs transport: tcp", field: "tls")
        }
        guard Self.facilities.contains(facility) else {
            throw ConfigValidationError("unknown facility \"\(facility)\" (one of \(Self.facilities.joined(separator: ", ")))", field: "facility")
        }
        guard Self.severities.contains(severity) else {
            throw ConfigValidationError("unknown severity \"\(severity)\" (one of \(Self.severities.joined(separator: ", ")))", field: "severity")
        }
        for (key, value) in [(CodingKeys.appName, appName), (.hostname, hostname)] where value.utf8.contains(where: { $0 <= 32 || $0 >= 127 }) {
            throw ConfigValidationError("\(key.stringValue) must be printable ASCII without spaces", field: .key(key.stringValue))
        }
        guard (480...65_000).contains(maxDatagramSize) else {
            throw ConfigValidationError("max_datagram_size must be between 480 and 65000", field: "max_datagram_size")
        }
    }
}
