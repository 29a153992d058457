import Hummingbird
import VigilConfig
import VigilModel
import VigilPromQL
import VigilTSDB

extension PrometheusAPI {
    /// `query` and `query_range`, GET and POST.
    func registerQueries(on router: Router<BasicRequestContext>) {
        for method in [HTTPRequest.Method.get, .post] {
            route(router, "/api/v1/query", method) { parameters, _ throws(APIError) in
                let engine = try await engine(parameters)
                return try await queryGate.run { () throws(APIError) in try instantQuery(parameters, engine) }
            }
            route(router, "/api/v1/query_range", method) { parameters, _ throws(APIError) in
                let engine = try await engine(parameters)
                return try await queryGate.run { () throws(APIError) in try rangeQuery(parameters, engine) }
            }
        }
    }

    /// An engine with the server's limits, the request's `timeout`, and the config's
    /// `evaluation_interval` as the step of subqueries that name none (`x[10m:]`), as Prometheus does.
    private func engine(_ parameters: APIParameters) async throws(APIError) -> Engine {
        var options = queryOptions
        options.defaultSubqueryStep = await configManager.current.global.evaluationInterval.milliseconds
        if let text = parameters["timeout"], !text.isEmpty {
            let timeout = try Self.duration(text, parameter: "timeout")
            options.timeout = min(options.timeout, timeout)
        }
        return Engine(options: options)
    }

    private func instantQuery(_ parameters: APIParameters, _ engine: Engine) throws(APIError) -> APIResult {
        let time = try parameters.time("time", default: Timestamps.now())
        do {
            let result = try engine.instantQuery(parameters["query"] ?? "", time: time, querier: tsdb.querier())
            return .data(Self.encode(result.value), warnings: result.warnings)
        } catch {
            throw Self.apiError(error)
        }
    }

    private func rangeQuery(_ parameters: APIParameters, _ engine: Engine) throws(APIError) -> APIResult {
        guard let startText = parameters["start"], let start = APIParameters.parseTime(startText) else {
            throw APIError(.badData, "invalid parameter \"start\": cannot parse \"\(parameters["start"] ?? "")\" to a valid timestamp")
        }
        guard let endText = parameters["end"], let end = APIParameters.parseTime(endText) else {
            throw APIError(.badData, "invalid parameter \"end\": cannot parse \"\(parameters["end"] ?? "")\" to a valid timestamp")
        }
        guard end >= start else {
            throw APIError(.badData, "invalid parameter \"end\": end timestamp must not be before start time")
        }
        let step = try Self.duration(parameters["step"] ?? "", parameter: "step")
        guard step > 0 else {
            throw APIError(
                .badData,
                "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer"
            )
        }
        guard (end - start) / step <= 11_000 else {
            throw APIError(
                .badData,
                "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"
            )
        }
        do {
            let result = try engine.rangeQuery(parameters["query"] ?? "", start: start, end: end, step: step, querier: tsdb.querier())
            return .data(Self.encode(result.value), warnings: result.warnings)
        } catch {
            throw Self.apiError(error)
        }
    }

    /// Prometheus's `parseDuration`: float seconds (`15`, `0.5`) or a duration (`1m30s`), in ms.
    static func duration(_ text: String, parameter: String) throws(APIError) -> Int64 {
        if let seconds = Double(text), seconds.isFinite {
            let milliseconds = (seconds * 1000).rounded()
            guard milliseconds.magnitude < 9.2e18 else {
                throw APIError(.badData, "invalid parameter \"\(parameter)\": cannot parse \"\(text)\" to a valid duration. It overflows int64")
            }
            return Int64(milliseconds)
        }
        guard let duration = try? PromDuration(parsing: text) else {
            throw APIError(.badData, "invalid parameter \"\(parameter)\": cannot parse \"\(text)\" to a valid duration")
        }
        return duration.milliseconds
    }

    static func apiError(_ error: PromQLError) -> APIError {
        switch error.kind {
        case .badData: APIError(.badData, error.message)
        case .execution: APIError(.execution, error.message)
        case .timeout: APIError(.timeout, error.message)
        case .canceled: APIError(.canceled, error.message)
        case .internal: APIError(.internalError, error.message)
        }
    }

    /// `{"resultType":…,"result":…}` exactly as Prometheus writes it.
    static func encode(_ value: QueryValue) -> String {
        func point(_ timestamp: Int64, _ value: Double) -> String {
            "[" + APIJSON.time(timestamp) + ",\"" + GoFloat.formatAPI(value) + "\"]"
        }
        switch value {
        case .scalar(let timestamp, let number):
            return "{\"resultType\":\"scalar\",\"result\":" + point(timestamp, number) + "}"
        case .string(let timestamp, let text):
            return "{\"resultType\":\"string\",\"result\":[" + APIJSON.time(timestamp) + "," + JSONQuoting.quote(text) + "]}"
        case .vector(let samples):
            var out = "{\"resultType\":\"vector\",\"result\":["
            for (index, sample) in samples.enumerated() {
                if index > 0 { out += "," }
                out += "{\"metric\":" + APIJSON.labels(sample.labels) + ",\"value\":" + point(sample.timestamp, sample.value) + "}"
            }
            return out + "]}"
        case .matrix(let series):
            var out = "{\"resultType\":\"matrix\",\"result\":["
            for (index, one) in series.enumerated() {
                if index > 0 { out += "," }
                out += "{\"metric\":" + APIJSON.labels(one.labels) + ",\"values\":["
                for (pointIndex, sample) in one.points.enumerated() {
                    if pointIndex > 0 { out += "," }
                    out += point(sample.timestamp, sample.value)
                }
                out += "]}"
            }
            return out + "]}"
        }
    }
}
