import Hummingbird
import Logging
import VigilConfig
import VigilModel
import VigilNotifier
import VigilPromQL
import VigilRules
import VigilScrape
import VigilTSDB

/// The Prometheus HTTP API v1 (what Grafana, promtool and client libraries call), answering with
/// Prometheus's envelopes, error types and status codes.
struct PrometheusAPI: Sendable {
    let tsdb: TSDB
    let configManager: ConfigManager
    let runtime: RuntimeInfo
    let flags: [(name: String, value: String)]
    let enableAdminAPI: Bool
    let maxBodyBytes: Int
    /// Engine limits for every query (timeout, max samples, lookback).
    let queryOptions: EngineOptions
    let queryGate: QueryGate
    /// Targets, their health and scraped metadata.
    let scrapeManager: ScrapeManager
    /// `vigil agent`: the query endpoints answer "unavailable".
    let agentMode: Bool
    /// The rule groups behind `/api/v1/rules` and `/api/v1/alerts`; nil in agent mode.
    var ruleManager: RuleManager? = nil
    /// The Alertmanagers behind `/api/v1/alertmanagers`; nil in agent mode.
    var notifier: Notifier? = nil

    func register(on router: Router<BasicRequestContext>) {
        registerTargets(on: router)
        registerRules(on: router)
        if agentMode {
            // As Prometheus's agent: nothing is kept to query.
            let unavailable: Handler = { _, _ throws(APIError) in throw APIError(.unavailable, "unavailable with Vigil agent") }
            for method in [HTTPRequest.Method.get, .post] {
                for path: RouterPath in ["/api/v1/query", "/api/v1/query_range", "/api/v1/labels", "/api/v1/series", "/api/v1/query_exemplars"] {
                    route(router, path, method, unavailable)
                }
            }
            route(router, "/api/v1/label/{name}/values", .get, unavailable)
        } else {
            registerQueries(on: router)
            for method in [HTTPRequest.Method.get, .post] {
                route(router, "/api/v1/labels", method, labels)
                route(router, "/api/v1/series", method, series)
                route(router, "/api/v1/query_exemplars", method, queryExemplars)
            }
            route(router, "/api/v1/label/{name}/values", .get, labelValues)
        }
        for method in [HTTPRequest.Method.get, .post] {
            route(router, "/api/v1/format_query", method, formatQuery)
        }
        route(router, "/api/v1/status/buildinfo", .get) { _, _ in buildInfo() }
        route(router, "/api/v1/status/runtimeinfo", .get) { _, _ in await runtimeInfo() }
        route(router, "/api/v1/status/flags", .get) { _, _ in statusFlags() }
        route(router, "/api/v1/status/config", .get) { _, _ in await statusConfig() }
        route(router, "/api/v1/status/tsdb", .get) { parameters, _ throws(APIError) in try statusTSDB(parameters) }
        for method in [HTTPRequest.Method.post, .put] {
            route(router, "/api/v1/admin/tsdb/delete_series", method, deleteSeries)
            route(router, "/api/v1/admin/tsdb/clean_tombstones", method) { _, _ throws(APIError) in try cleanTombstones() }
        }
    }

    typealias Handler = @Sendable (APIParameters, BasicRequestContext) async throws(APIError) -> APIResult

    /// What a handler produces: JSON data and warnings, or no content (admin endpoints).
    enum APIResult {
        case data(String, warnings: [String] = [])
        /// Data already encoded as JSON bytes (large lists).
        case bytes(JSONBytes)
        case noContent
    }

    func route(_ router: Router<BasicRequestContext>, _ path: RouterPath, _ method: HTTPRequest.Method, _ handler: @escaping Handler) {
        let maxBodyBytes = maxBodyBytes
        router.on(path, method: method) { request, context in
            do throws(APIError) {
                let parameters = try await APIParameters(request, maxBodyBytes: maxBodyBytes)
                switch try await handler(parameters, context) {
                case .data(let data, let warnings): return APIResponse.success(data, warnings: warnings)
                case .bytes(let json): return APIResponse.success(json)
                case .noContent: return Response(status: .noContent)
                }
            } catch {
                return APIResponse.failure(error)
            }
        }
    }

    // MARK: Series metadata

    private func range(_ parameters: APIParameters) throws(APIError) -> (Int64, Int64) {
        let start = try parameters.time("start", default: APIParameters.minTime)
        let end = try parameters.time("end", default: APIParameters.maxTime)
        guard end >= start else {
            throw APIError(.badData, "invalid parameter \"end\": end timestamp must not be before start time")
        }
        return (start, end)
    }

    private func storage<T>(_ body: () throws(TSDBError) -> T) throws(APIError) -> T {
        do {
            return try body()
        } catch {
            throw APIError(error.kind == .corruption || error.kind == .io ? .internalError : .execution, error.message)
        }
    }

    private func labels(_ parameters: APIParameters, _: BasicRequestContext) throws(APIError) -> APIResult {
        let (start, end) = try range(parameters)
        let selectors = try parameters.matchers()
        let querier = tsdb.querier(mint: start, maxt: end)
        var lists: [[String]] = []
        try storage { () throws(TSDBError) in
            for matchers in selectors.isEmpty ? [[]] : selectors {
                lists.append(try querier.labelNames(matchers: matchers, mint: start, maxt: end))
            }
        }
        let values = limited(ByteOrder.mergeSorted(lists), try parameters.limit())
        var json = JSONBytes(capacity: values.count * 16 + 2)
        json.strings(values)
        return .bytes(json)
    }

    private func labelValues(_ parameters: APIParameters, _ context: BasicRequestContext) throws(APIError) -> APIResult {
        let name = context.parameters.get("name") ?? ""
        guard Self.isValidLabelName(name) else {
            throw APIError(.badData, "invalid label name: \"\(name)\"")
        }
        let (start, end) = try range(parameters)
        let selectors = try parameters.matchers()
        let querier = tsdb.querier(mint: start, maxt: end)
        var lists: [[String]] = []
        try storage { () throws(TSDBError) in
            for matchers in selectors.isEmpty ? [[]] : selectors {
                lists.append(try querier.labelValues(name, matchers: matchers, mint: start, maxt: end))
            }
        }
        let values = limited(ByteOrder.mergeSorted(lists), try parameters.limit())
        var json = JSONBytes(capacity: values.count * 16 + 2)
        json.strings(values)
        return .bytes(json)
    }

    private func series(_ parameters: APIParameters, _: BasicRequestContext) throws(APIError) -> APIResult {
        let selectors = try parameters.matchers()
        guard !selectors.isEmpty else { throw APIError(.badData, "no match[] parameter provided") }
        let (start, end) = try range(parameters)
        let querier = tsdb.querier(mint: start, maxt: end)
        var sorted: [Labels] = []
        try storage { () throws(TSDBError) in
            if selectors.count == 1 {
                // The querier's answer is already sorted and free of duplicates.
                sorted = try querier.seriesLabels(selectors[0], mint: start, maxt: end)
            } else {
                var found = Set<Labels>()
                for matchers in selectors {
                    for labels in try querier.seriesLabels(matchers, mint: start, maxt: end) { found.insert(labels) }
                }
                sorted = found.sorted()
            }
        }
        sorted = limited(sorted, try parameters.limit())
        var json = JSONBytes(capacity: sorted.count * 96 + 2)
        json.raw("[")
        for (index, labels) in sorted.enumerated() {
            if index > 0 { json.raw(",") }
            json.labels(labels)
        }
        json.raw("]")
        return .bytes(json)
    }

    private func limited<T>(_ values: [T], _ limit: Int?) -> [T] {
        guard let limit, values.count > limit else { return values }
        return Array(values.prefix(limit))
    }

    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || (first | 0x20 >= UInt8(ascii: "a") && first | 0x20 <= UInt8(ascii: "z")) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
        }
    }

    // MARK: Queries that need no engine

    private func formatQuery(_ parameters: APIParameters, _: BasicRequestContext) throws(APIError) -> APIResult {
        do {
            return .data(JSONQuoting.quote(try PromQL.parse(parameters["query"] ?? "").description))
        } catch {
            throw APIError(.badData, "invalid parameter \"query\": \(error)")
        }
    }

    private func queryExemplars(_ parameters: APIParameters, _: BasicRequestContext) throws(APIError) -> APIResult {
        do {
            _ = try PromQL.parse(parameters["query"] ?? "")
        } catch {
            throw APIError(.badData, "invalid parameter \"query\": \(error)")
        }
        _ = try range(parameters)
        // Exemplars are not stored yet: the valid, empty answer Prometheus gives without any.
        return .data("[]")
    }

    // MARK: Status

    private func buildInfo() -> APIResult {
        // No "features" field: Grafana takes a non-empty one for Mimir.
        .data(
            "{\"version\":" + JSONQuoting.quote(BuildInfo.version) + ",\"revision\":\"\",\"branch\":"
                + JSONQuoting.quote(BuildInfo.branch) + ",\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":"
                + JSONQuoting.quote(BuildInfo.swiftVersion) + "}"
        )
    }

    private func runtimeInfo() async -> APIResult {
        let reload = await configManager.lastReload
        let corruptions = tsdb.replayReport.damage.count + tsdb.quarantined.count
        return .data(
            "{\"startTime\":" + JSONQuoting.quote(RFC3339.format(milliseconds: runtime.startTime))
                + ",\"CWD\":" + JSONQuoting.quote(runtime.workingDirectory)
                + ",\"reloadConfigSuccess\":" + (reload.successful ? "true" : "false")
                + ",\"lastConfigTime\":" + JSONQuoting.quote(RFC3339.format(milliseconds: reload.lastSuccess))
                + ",\"corruptionCount\":\(corruptions)"
                + ",\"goroutineCount\":\(RuntimeInfo.threadCount())"
                + ",\"GOMAXPROCS\":\(RuntimeInfo.processorCount())"
                + ",\"storageRetention\":" + JSONQuoting.quote(runtime.storageRetention) + "}"
        )
    }

    private func statusFlags() -> APIResult {
        .data("{" + flags.map { JSONQuoting.quote($0.name) + ":" + JSONQuoting.quote($0.value) }.joined(separator: ",") + "}")
    }

    private func statusConfig() async -> APIResult {
        let yaml = await configManager.current.redactedSource()
        return .data("{\"yaml\":" + JSONQuoting.quote(yaml) + "}")
    }

    private func statusTSDB(_ parameters: APIParameters) throws(APIError) -> APIResult {
        var limit = 10
        if let text = parameters["limit"] {
            guard let value = Int(text), value > 0 else {
                throw APIError(.badData, "limit must be a positive number")
            }
            limit = value
        }
        let stats = tsdb.head.stats
        let cardinality = tsdb.head.cardinality(limit: limit)
        func list(_ entries: [CardinalityStats.Entry]) -> String {
            "[" + entries.map { "{\"name\":" + JSONQuoting.quote($0.name) + ",\"value\":\($0.value)}" }.joined(separator: ",") + "]"
        }
        let empty = stats.numSeries == 0
        return .data(
            "{\"headStats\":{\"numSeries\":\(stats.numSeries),\"numLabelPairs\":\(stats.numLabelPairs)"
                + ",\"chunkCount\":\(stats.chunkCount),\"minTime\":\(empty ? Int64.max : stats.minTime)"
                + ",\"maxTime\":\(empty ? Int64.min : stats.maxTime)}"
                + ",\"seriesCountByMetricName\":" + list(cardinality.seriesCountByMetricName)
                + ",\"labelValueCountByLabelName\":" + list(cardinality.labelValueCountByLabelName)
                + ",\"memoryInBytesByLabelName\":" + list(cardinality.memoryInBytesByLabelName)
                + ",\"seriesCountByLabelValuePair\":" + list(cardinality.seriesCountByLabelValuePair) + "}"
        )
    }

    // MARK: Admin

    private func requireAdmin() throws(APIError) {
        guard enableAdminAPI else { throw APIError(.unavailable, "admin APIs disabled") }
    }

    private func deleteSeries(_ parameters: APIParameters, _: BasicRequestContext) throws(APIError) -> APIResult {
        try requireAdmin()
        let selectors = try parameters.matchers()
        guard !selectors.isEmpty else { throw APIError(.badData, "no match[] parameter provided") }
        let (start, end) = try range(parameters)
        try storage { () throws(TSDBError) in
            for matchers in selectors { try tsdb.delete(matchers: matchers, mint: start, maxt: end) }
        }
        return .noContent
    }

    private func cleanTombstones() throws(APIError) -> APIResult {
        try requireAdmin()
        try storage { () throws(TSDBError) in try tsdb.cleanTombstones() }
        return .noContent
    }
}
