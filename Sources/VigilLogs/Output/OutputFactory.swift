import Logging
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
            return sender(ForwardOutput(config: forward, timeout: config.timeout.duration))
        case .syslog(let syslog):
            return sender(SyslogOutput(config: syslog, timeout: config.timeout.duration))
        case .file(let file):
            return sender(FileOutput(target: .file(file), format: file.format))
        case .stdout(let stdout):
            return sender(FileOutput(target: .standardOutput, format: stdout.format))
        }
    }
}
