import Foundation
import Hummingbird
import VigilConfig
import VigilModel
import VigilPromQL
import VigilScrape

/// `/api/v1/targets`, `/api/v1/targets/metadata`, `/api/v1/metadata` and
/// `/api/v1/scrape_pools`: what the scrape manager knows, in Prometheus's shapes.
extension PrometheusAPI {
    func registerTargets(on router: Router<BasicRequestContext>) {
        route(router, "/api/v1/targets", .get) { parameters, _ in await targets(parameters) }
        route(router, "/api/v1/targets/metadata", .get) { parameters, _ throws(APIError) in try await targetMetadata(parameters) }
        route(router, "/api/v1/metadata", .get) { parameters, _ throws(APIError) in try await metadata(parameters) }
        route(router, "/api/v1/scrape_pools", .get) { _, _ in
            .data("{\"scrapePools\":" + APIJSON.strings(await scrapeManager.scrapePools) + "}")
        }
    }

    private func targets(_ parameters: APIParameters) async -> APIResult {
        let state = (parameters["state"] ?? "").lowercased()
        let pool = parameters["scrapePool"] ?? ""
        let showActive = state.isEmpty || state == "any" || state == "active"
        let showDropped = state.isEmpty || state == "any" || state == "dropped"
        var active: [String] = []
        if showActive {
            for (name, loop) in await scrapeManager.activeTargets() where pool.isEmpty || pool == name {
                let target = loop.target
                let status = loop.status
                active.append(
                    "{\"discoveredLabels\":" + APIJSON.labels(target.discoveredLabels)
                        + ",\"labels\":" + APIJSON.labels(target.publicLabels)
                        + ",\"scrapePool\":" + JSONQuoting.quote(name)
                        + ",\"scrapeUrl\":" + JSONQuoting.quote(target.url)
                        + ",\"globalUrl\":" + JSONQuoting.quote(Self.globalURL(target.url))
                        + ",\"lastError\":" + JSONQuoting.quote(status.lastError)
                        + ",\"lastScrape\":" + JSONQuoting.quote(Self.goTime(status.lastScrape))
                        + ",\"lastScrapeDuration\":" + GoFloat.format(status.lastScrapeDuration)
                        + ",\"health\":" + JSONQuoting.quote(status.health.rawValue)
                        + ",\"scrapeInterval\":" + JSONQuoting.quote(target.interval.description)
                        + ",\"scrapeTimeout\":" + JSONQuoting.quote(target.timeout.description) + "}")
            }
        }
        var dropped: [String] = []
        if showDropped {
            for (name, labels) in await scrapeManager.droppedTargets() where pool.isEmpty || pool == name {
                dropped.append("{\"discoveredLabels\":" + APIJSON.labels(labels) + "}")
            }
        }
        return .data(
            "{\"activeTargets\":[" + active.joined(separator: ",") + "],\"droppedTargets\":["
                + dropped.joined(separator: ",") + "]}")
    }

    private func targetMetadata(_ parameters: APIParameters) async throws(APIError) -> APIResult {
        let limit = try parameters.limit()
        var matchers: [LabelMatcher] = []
        if let selector = parameters["match_target"], !selector.isEmpty {
            do {
                matchers = try PromQL.parseMetricSelector(selector)
            } catch {
                throw APIError(.badData, "invalid parameter \"match_target\": \(error)")
            }
        }
        let metric = parameters["metric"] ?? ""
        var entries: [String] = []
        outer: for (_, loop) in await scrapeManager.activeTargets() {
            let labels = loop.target.publicLabels
            guard matchers.allSatisfy({ $0.matches(labels[$0.name] ?? "") }) else { continue }
            for entry in loop.metadata where metric.isEmpty || entry.metric == metric {
                if let limit, entries.count >= limit { break outer }
                entries.append(
                    "{\"target\":" + APIJSON.labels(labels)
                        + (metric.isEmpty ? ",\"metric\":" + JSONQuoting.quote(entry.metric) : "")
                        + ",\"type\":" + JSONQuoting.quote(entry.type.rawValue)
                        + ",\"help\":" + JSONQuoting.quote(entry.help)
                        + ",\"unit\":" + JSONQuoting.quote(entry.unit) + "}")
            }
        }
        return .data("[" + entries.joined(separator: ",") + "]")
    }

    private func metadata(_ parameters: APIParameters) async throws(APIError) -> APIResult {
        let limit = try parameters.limit()
        var perMetricLimit: Int? = nil
        if let text = parameters["limit_per_metric"], !text.isEmpty {
            guard let value = Int(text) else {
                throw APIError(.badData, "invalid parameter \"limit_per_metric\": limit_per_metric must be a number")
            }
            if value > 0 { perMetricLimit = value }
        }
        let metric = parameters["metric"] ?? ""
        var order: [String] = []
        var byMetric: [String: [MetricMetadata]] = [:]
        for (_, loop) in await scrapeManager.activeTargets() {
            for entry in loop.metadata where metric.isEmpty || entry.metric == metric {
                if byMetric[entry.metric] == nil {
                    if let limit, order.count >= limit { continue }
                    order.append(entry.metric)
                }
                var distinct = entry
                distinct.metric = ""
                if byMetric[entry.metric, default: []].contains(distinct) { continue }
                if let perMetricLimit, byMetric[entry.metric, default: []].count >= perMetricLimit { continue }
                byMetric[entry.metric, default: []].append(distinct)
            }
        }
        let body = order.map { name in
            JSONQuoting.quote(name) + ":["
                + byMetric[name]!.map {
                    "{\"type\":" + JSONQuoting.quote($0.type.rawValue) + ",\"help\":" + JSONQuoting.quote($0.help)
                        + ",\"unit\":" + JSONQuoting.quote($0.unit) + "}"
                }.joined(separator: ",") + "]"
        }
        return .data("{" + body.joined(separator: ",") + "}")
    }

    /// Go's `time.Time` JSON form: RFC 3339 with the zero time before the first scrape.
    static func goTime(_ milliseconds: Int64) -> String {
        milliseconds == 0 ? "0001-01-01T00:00:00Z" : RFC3339.format(milliseconds: milliseconds)
    }

    /// The scrape URL with a loopback host replaced by this machine's name, as Prometheus's
    /// `globalUrl` does, so the link works from elsewhere.
    static func globalURL(_ url: String) -> String {
        for loopback in ["//localhost:", "//127.0.0.1:", "//[::1]:"] where url.contains(loopback) {
            let host = ProcessInfo.processInfo.hostName
            return url.replacingOccurrences(of: loopback, with: "//" + host + ":")
        }
        return url
    }
}
