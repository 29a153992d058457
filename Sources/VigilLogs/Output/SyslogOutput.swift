#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VigilConfig

/// RFC 5424 syslog: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME - - - MSG` per line, over TCP with octet
/// counting (RFC 6587 §3.4.1: `LEN SP MSG`) on one kept-open connection, TLS too (RFC 5425), or
/// UDP (RFC 5426: one message per datagram, cut at `max_datagram_size`). Delivery over TCP means
/// the bytes reached the socket; UDP has no acknowledgement at all.
struct SyslogOutput: LogOutput {
    let config: SyslogOutputConfig
    let timeout: Duration
    /// The kept-open TCP or TLS connection; nil over UDP.
    let connection: StreamConnection?
    let hostname: String
    let priority: Int

    init(config: SyslogOutputConfig, timeout: Duration, connection: StreamConnection?) {
        self.config = config
        self.timeout = timeout
        self.connection = connection
        hostname = config.hostname.isEmpty ? Self.systemHostname() : config.hostname
        priority = SyslogOutputConfig.facilities.firstIndex(of: config.facility)! * 8
            + SyslogOutputConfig.severities.firstIndex(of: config.severity)!
    }

    /// The message of one entry, without framing.
    func message(_ entry: OutputEntry) -> [UInt8] {
        var appName = config.appName
        if !config.appNameLabel.isEmpty, let label = entry.labels.first(where: { $0.name == config.appNameLabel }) {
            appName = Self.headerField(label.value, maximum: 48)
        }
        var message = Array("<\(priority)>1 \(UTCTime(nanoseconds: entry.timestamp).rfc5424) \(hostname) \(appName) - - - ".utf8)
        message += entry.line
        return message
    }

    func encode(_ entries: [OutputEntry]) -> (request: [[UInt8]], bytes: Int) {
        let messages = entries.map { message($0) }
        switch config.transport {
        case .udp:
            let datagrams = messages.map { Array($0.prefix(config.maxDatagramSize)) }
            return (datagrams, datagrams.reduce(0) { $0 + $1.count })
        case .tcp:
            var stream: [UInt8] = []
            stream.reserveCapacity(messages.reduce(0) { $0 + $1.count + 8 })
            for message in messages {
                stream += Array("\(message.count) ".utf8)
                stream += message
            }
            return ([stream], stream.count)
        }
    }

    func send(_ request: [[UInt8]]) async throws {
        switch config.transport {
        case .udp: try await SocketExchange.udp(config.address, datagrams: request, timeout: timeout)
        case .tcp:
            guard let connection else { throw SocketExchange.Failure(description: "no connection for \(config.address)") }
            _ = try await connection.exchange(request[0])
        }
    }

    func interpret(_ response: Void, count: Int) -> DeliveryOutcome { .accepted }

    func close() async {
        await connection?.close()
    }

    /// A header field: printable ASCII without spaces, at most `maximum` characters, `-` if empty.
    static func headerField(_ value: String, maximum: Int) -> String {
        let cleaned = String(decoding: value.utf8.filter { $0 > 32 && $0 < 127 }.prefix(maximum), as: UTF8.self)
        return cleaned.isEmpty ? "-" : cleaned
    }

    static func systemHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "-" }
        let name = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return headerField(name, maximum: 255)
    }
}
