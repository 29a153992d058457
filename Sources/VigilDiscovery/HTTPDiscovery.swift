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

    /// Go's `strconv.FormatFloat(seconds, 'f', -1, 64)` for whole milliseconds: `90`, `0.05`.
    static func seconds(_ milliseconds: Int64) -> String {
        let whole = String(milliseconds / 1000)
        let fraction = milliseconds % 1000
        guard fraction != 0 else { return whole }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.last == "0" { digits.removeLast() }
        return whole + "." + digits
    }

    /// Prometheus's check, `^(?i:application/json(;\s*charset=("utf-8"|utf-8))?)$` on the trimmed
    /// header: no other parameter and no other charset.
    static func isJSON(_ contentType: String) -> Bool {
        let value = contentType.trimmingCharacters(in: .whitespaces).lowercased()
        guard value.hasPrefix("application/json") else { return false }
        var rest = value.dropFirst("application/json".count)
        if rest.isEmpty { return true }
        guard rest.first == ";" else { return false }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" }
        return rest == "charset=utf-8" || rest == "charset=\"utf-8\""
    }

    func fetch(_ client: ConfiguredHTTPClient) async throws -> [TargetGroup] {
        var request = HTTPClientRequest(url: config.url.string)
        request.headers = try client.requestHeaders()
        request.headers.replaceOrAdd(name: "Accept", value: "application/json")
        request.headers.replaceOrAdd(
            name: "X-Prometheus-Refresh-Interval-Seconds", value: Self.seconds(config.refreshInterval.milliseconds))
        request.headers.replaceOrAdd(name: "User-Agent", value: "Vigil")
        let response = try await client.client(for: request.url).execute(request, timeout: .seconds(max(5, Int64(config.refreshInterval.seconds))))
        guard response.status == .ok else {
            throw DiscoveryError(message: "server returned HTTP status \(response.status.code) \(response.status.reasonPhrase)")
        }
        let contentType = response.headers.first(name: "Content-Type") ?? ""
        guard Self.isJSON(contentType) else {
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
