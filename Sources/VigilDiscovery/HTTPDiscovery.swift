import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
public import VigilConfig
import VigilHTTPClient
public import VigilModel

/// `http_sd_configs`: target groups fetched as JSON from an endpoint every `refresh_interval`.
///
/// The request carries `X-Prometheus-Refresh-Interval-Seconds`; the answer must be 200 with
/// `Content-Type: application/json` and a list of `{"targets", "labels"}` groups, at most 16 MiB.
/// On any failure the last good groups stay in force. Each group's labels gain `__meta_url`.
public struct HTTPDiscovery: DiscoveryProvider {
    /// The config this provider follows.
    public let config: HTTPSDConfig
    let logger: Logger
    let failures: Counter?
    static let maximumBodyBytes = 16 << 20

    /// A provider for `config`; `failures` counts refreshes that failed.
    public init(_ config: HTTPSDConfig, logger: Logger, failures: Counter? = nil) {
        self.config = config
        self.logger = logger
        self.failures = failures
    }

    /// Always `http`.
    public var mechanism: String { "http" }

    /// Fetches until cancelled.
    public func run(send: @escaping @Sendable ([TargetGroup]) async -> Void) async {
        let client: ConfiguredHTTPClient
        do {
            client = try ConfiguredHTTPClient(config: config.httpClient)
        } catch {
            logger.error("Cannot create HTTP discovery client", metadata: ["url": "\(config.url)", "err": "\(error)"])
            return
        }
        var last: [TargetGroup]? = nil
        while !Task.isCancelled {
            do {
                let groups = try await fetch(client)
                if groups != last {
                    last = groups
                    await send(groups)
                }
            } catch is CancellationError {
                break
            } catch {
                failures?.increment()
                logger.error("Unable to refresh target groups", metadata: ["url": "\(config.url)", "err": "\(error)"])
            }
            try? await Task.sleep(for: config.refreshInterval.duration)
        }
        await client.shutdown()
    }

    func fetch(_ client: ConfiguredHTTPClient) async throws -> [TargetGroup] {
        var request = HTTPClientRequest(url: config.url.string)
        request.headers = try client.requestHeaders()
        request.headers.replaceOrAdd(name: "X-Prometheus-Refresh-Interval-Seconds", value: String(Int(config.refreshInterval.seconds)))
        request.headers.replaceOrAdd(name: "User-Agent", value: "Vigil")
        let response = try await client.client.execute(request, timeout: .seconds(max(5, Int64(config.refreshInterval.seconds))))
        guard response.status == .ok else {
            throw DiscoveryError(message: "server returned HTTP status \(response.status.code) \(response.status.reasonPhrase)")
        }
        let contentType = response.headers.first(name: "Content-Type") ?? ""
        guard contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "application/json" else {
            throw DiscoveryError(message: "unsupported content type \"\(contentType)\"")
        }
        let body = try await response.body.collect(upTo: Self.maximumBodyBytes)
        let text = String(buffer: body)
        let configs = try ConfigDecoder.decode([StaticConfig].self, fromYAML: text, fileName: config.url.string)
        return configs.enumerated().map { index, group in
            var labels = LabelsBuilder()
            for (name, value) in group.labels { labels.set(name, value) }
            labels.set("__meta_url", config.url.string)
            return TargetGroup(
                targets: group.targets.map { Labels(dictionaryLiteral: ("__address__", $0)) },
                labels: labels.build(),
                source: "\(config.url.string):\(index)"
            )
        }
    }
}
