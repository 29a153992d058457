import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import VigilLogQL
import VigilLogStore
import VigilModel

/// Loki's query routes over the log store: `/loki/api/v1/query` and `query_range`, GET or POST
/// form, with Loki's parameters, defaults and plain-text errors.
extension LokiAPI {
    /// Loki's default `limit` for log queries.
    static let defaultLimit = 100
    /// Loki's default window of `query_range` without `start`: one hour before `end`.
    static let defaultRangeLookback: Int64 = 3_600 * 1_000_000_000

    func registerQueries(on router: Router<BasicRequestContext>, limits: LogQLLimits) {
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/loki/api/v1/query", method: method) { request, _ in await instantQuery(request, limits: limits) }
            router.on("/loki/api/v1/query_range", method: method) { request, _ in await rangeQuery(request, limits: limits) }
        }
    }

    func instantQuery(_ request: Request, limits: LogQLLimits) async -> Response {
        await answerQuery {
            let (parameters, engine) = try await queryContext(request, limits: limits)
            let query = try Self.required(parameters, "query")
            let time = try Self.time(parameters["time"], name: "time") ?? clock()
            let response = try await engine.instantQuery(
                query, time: time, limit: try Self.limit(parameters), direction: try Self.direction(parameters))
            return Self.json(LokiResponseEncoder.encode(response))
        }
    }

    func rangeQuery(_ request: Request, limits: LogQLLimits) async -> Response {
        await answerQuery {
            let (parameters, engine) = try await queryContext(request, limits: limits)
            let query = try Self.required(parameters, "query")
            let end = try Self.time(parameters["end"], name: "end") ?? clock()
            var start = try Self.time(parameters["start"], name: "start") ?? (end - Self.defaultRangeLookback)
            if parameters["start"] == nil, let since = parameters["since"], !since.isEmpty {
                guard let duration = Self.duration(since) else { throw LokiRequestError("invalid since duration \(GoQuote.quote(since))") }
                start = end - duration
            }
            guard end >= start else { throw LokiRequestError("end timestamp must not be before or equal to start time") }
            let step = try Self.step(parameters["step"]) ?? LogQLEngine.defaultStep(start: start, end: end)
            let response = try await engine.rangeQuery(
                query, start: start, end: end, step: step, limit: try Self.limit(parameters),
                direction: try Self.direction(parameters))
            return Self.json(LokiResponseEncoder.encode(response))
        }
    }

    /// The request's parameters and an engine over its tenant's streams.
    private func queryContext(_ request: Request, limits: LogQLLimits) async throws -> (APIParameters, LogQLEngine) {
        let parameters: APIParameters
        do {
            parameters = try await APIParameters(request, maxBodyBytes: maxBodyBytes)
        } catch {
            throw LokiRequestError(error.message)
        }
        let tenant = try tenant(request) ?? store.options.defaultTenant
        return (parameters, LogQLEngine(source: store.source(tenant: tenant), limits: limits))
    }

    static func required(_ parameters: APIParameters, _ name: String) throws(LokiRequestError) -> String {
        guard let value = parameters[name], !value.isEmpty else { throw LokiRequestError("\(name) parameter is required") }
        return value
    }

    static func limit(_ parameters: APIParameters) throws(LokiRequestError) -> Int {
        guard let text = parameters["limit"], !text.isEmpty else { return defaultLimit }
        guard let limit = Int(text) else { throw LokiRequestError("invalid limit \(GoQuote.quote(text)): expected an integer") }
        guard limit > 0 else { throw LokiRequestError("limit must be a positive value") }
        return limit
    }

    static func direction(_ parameters: APIParameters) throws(LokiRequestError) -> LogDirection {
        guard let text = parameters["direction"], !text.isEmpty else { return .backward }
        guard let direction = LogDirection(rawValue: text.lowercased()) else {
            throw LokiRequestError("invalid direction \(GoQuote.quote(text)): expected forward or backward")
        }
        return direction
    }

    /// Loki's `step`: a duration (`30s`, `1m`) or a number of seconds (`15`, `0.5`), in ns.
    static func step(_ text: String?) throws(LokiRequestError) -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds.isFinite {
            guard seconds > 0 else {
                throw LokiRequestError("zero or negative query resolution step widths are not accepted. Try a positive integer")
            }
            return Int64((seconds * 1e9).rounded())
        }
        guard let duration = duration(text), duration > 0 else {
            throw LokiRequestError("invalid step \(GoQuote.quote(text)): expected a duration or a number of seconds")
        }
        return duration
    }

    static func json(_ bytes: [UInt8]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=UTF-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Runs a query route, answering errors as Loki does: plain text, 400 for the query's fault,
    /// 504 for a timeout, 500 for the store's.
    private func answerQuery(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as LogQLParseError {
            return PlainText.response(.badRequest, error.description + "\n")
        } catch let error as LogQLEngineError {
            let status: HTTPResponse.Status =
                switch error.kind {
                case .badQuery, .limit: .badRequest
                case .timeout: .gatewayTimeout
                case .source: .internalServerError
                }
            if error.kind == .source { logger.error("Log query failed in the store", metadata: ["err": "\(error.message)"]) }
            return PlainText.response(status, error.message + "\n")
        } catch {
            return await answer { throw error }
        }
    }
}
