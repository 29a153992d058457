import Logging
import NIOSSL
import VigilConfig
import VigilHTTPClient

/// Builds each configured output's sender, hiding which ``LogOutput`` it drives.
enum OutputFactory {
    /// A sender ready to run, and the HTTP client it owns (shut down after it stops).
    struct Built: Sendable {
        let run: @Sendable () async -> Void
        let client: ConfiguredHTTPClient?
    }

    static func build(
        _ config: LogOutputConfig, buffer: DiskBuffer, metrics: LogsMetrics.Output, logger: Logger
    ) throws -> Built {
        func sender<Output: LogOutput>(_ output: Output, client: ConfiguredHTTPClient? = nil) -> Built {
            let loop = OutputSender(config: config, output: output, buffer: buffer, metrics: metrics, logger: logger)
            return Built(run: { await loop.run() }, client: client)
        }
        func transport(_ http: HTTPClientConfig, _ compression: HTTPCompression, responseLimit: Int = 64 << 10) throws
            -> HTTPOutputTransport
        {
            HTTPOutputTransport(
                client: try ConfiguredHTTPClient(config: http), compression: compression, timeout: config.timeout,
                maximumResponseBytes: responseLimit)
        }
        switch config.destination {
        case .loki(let loki):
            let http = try transport(loki.httpConfig, loki.compression)
            return sender(LokiOutput(config: loki, transport: http), client: http.client)
        case .elasticsearch(let elasticsearch):
            let http = try transport(
                elasticsearch.httpConfig, elasticsearch.compression, responseLimit: ElasticsearchOutput.maximumResponseBytes)
            return sender(ElasticsearchOutput(config: elasticsearch, transport: http), client: http.client)
        case .clickhouse(let clickhouse):
            let http = try transport(clickhouse.httpConfig, clickhouse.compression)
            return sender(ClickHouseOutput(config: clickhouse, transport: http), client: http.client)
        case .forward(let forward):
            let connection = try stream(
                forward.address, forward.tls, timeout: config.timeout.duration, handshake: forwardHandshake(forward))
            return sender(ForwardOutput(config: forward, connection: connection))
        case .syslog(let syslog):
            let connection =
                syslog.transport == .tcp ? try stream(syslog.address, syslog.tls, timeout: config.timeout.duration) : nil
            return sender(SyslogOutput(config: syslog, timeout: config.timeout.duration, connection: connection))
        case .file(let file):
            return sender(FileOutput(target: .file(file), format: file.format))
        case .stdout(let stdout):
            return sender(FileOutput(target: .standardOutput, format: stdout.format))
        }
    }

    /// The kept-open connection of a forward or syslog output, with its TLS context (built once:
    /// a bad certificate file fails the config, not every batch).
    static func stream(
        _ address: String, _ tls: StreamTLSConfig, timeout: Duration, handshake: StreamConnection.Handshake? = nil
    ) throws -> StreamConnection {
        guard tls.enabled else { return StreamConnection(address: address, timeout: timeout, handshake: handshake) }
        let context = try NIOSSLContext(configuration: try ConfiguredHTTPClient.tlsConfiguration(tls.config))
        return StreamConnection(
            address: address, tls: context, serverName: tls.config.serverName.isEmpty ? nil : tls.config.serverName,
            timeout: timeout, handshake: handshake)
    }

    /// The shared-key handshake of `forward`, or nil when it sets no key. Keys and passwords in
    /// files are read at each handshake, so a rotated file is picked up by the next connection.
    static func forwardHandshake(_ forward: ForwardOutputConfig) -> StreamConnection.Handshake? {
        guard forward.usesSharedKey else { return nil }
        let handshake = ForwardHandshake(
            sharedKey: { try secret(forward.sharedKey, file: forward.sharedKeyFile, what: "shared_key_file") },
            selfHostname: forward.selfHostname.isEmpty ? SyslogOutput.systemHostname() : forward.selfHostname,
            username: forward.username,
            password: { try secret(forward.password, file: forward.passwordFile, what: "password_file") })
        return { session in try await handshake.run(session) }
    }

    /// A secret given inline or in `file`; an unreadable file is an error naming it.
    static func secret(_ inline: Secret?, file: String, what: String) throws -> [UInt8] {
        guard let bytes = SecretFile.value(inline: inline?.value ?? "", file: inline == nil ? file : "") else {
            throw LogsError("cannot read the \(what) \(file): \(PosixFile.errorText())")
        }
        return bytes
    }
}
