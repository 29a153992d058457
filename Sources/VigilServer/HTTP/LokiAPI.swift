import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import VigilHTTPClient
import VigilLogQL
import VigilLogStore
import VigilModel

/// Loki's push and metadata API over the log store: `/loki/api/v1/push`, `labels`,
/// `label/<name>/values`, `series` and `index/stats`, with Loki's response shapes and its
/// plain-text errors. The query routes (`query`, `query_range`, `tail`) join once the LogQL engine
/// does.
///
/// The tenant is `X-Scope-OrgID` when given, else the store's default (`fake`), as Loki does with
/// auth disabled but a tenant header present.
struct LokiAPI {
    let store: LogStore
    /// Largest request body as sent (compressed).
    let maxBodyBytes: Int
    /// Largest push after decompression.
    let maxPushBytes: Int
    let logger: Logger
    /// Nanoseconds since the epoch; tests pass their own.
    var clock: @Sendable () -> Int64 = LogStore.wallClock

    /// Loki's default look-back for the metadata routes: 6 hours.
    static let defaultLookback: Int64 = 6 * 3_600 * 1_000_000_000

    func register(on router: Router<BasicRequestContext>) {
        router.post("/loki/api/v1/push") { request, _ in await push(request) }
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/loki/api/v1/labels", method: method) { request, _ in await labels(request) }
            router.on("/loki/api/v1/label/{name}/values", method: method) { request, context in
                await labelValues(request, name: context.parameters.get("name") ?? "")
            }
            router.on("/loki/api/v1/series", method: method) { request, _ in await series(request) }
            router.on("/loki/api/v1/index/stats", method: method) { request, _ in await indexStats(request) }
        }
    }

    func tenant(_ request: Request) throws(LokiRequestError) -> String? {
        guard let header = request.headers[HTTPField.Name("X-Scope-OrgID")!] else { return nil }
        return try Self.validTenant(header)
    }

    /// Loki's tenant ID rules: 1–150 characters from `[a-zA-Z0-9!_.*'()-]`, not `.` or `..`.
    static func validTenant(_ text: String) throws(LokiRequestError) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!-_.*'()".utf8)
        guard !text.isEmpty, text.utf8.count <= 150, text != ".", text != "..", text.utf8.allSatisfy({ allowed.contains($0) }) else {
            throw LokiRequestError("invalid tenant ID \(GoQuote.quote(text))")
        }
        return text
    }

    // MARK: Push

    func push(_ request: Request) async -> Response {
        let body: ByteBuffer
        do {
            body = try await RequestBody.collect(request, upTo: maxBodyBytes)
        } catch let error as RequestBody.TooLarge {
            return error.response
        } catch {
            return PlainText.response(.badRequest, "reading the push body: \(error)\n")
        }
        do {
            let tenant = try tenant(request)
            let contentType = request.headers[.contentType]?.lowercased() ?? ""
            let encoding = request.headers[.contentEncoding] ?? ""
            // Loki reads gzip and raw deflate bodies of either type; `snappy` only labels the
            // protobuf body's own block compression.
            let bytes: [UInt8]
            if encoding.lowercased() == "snappy" {
                bytes = Array(buffer: body)
            } else {
                do {
                    bytes = try ContentDecoding.decode(Array(buffer: body), contentEncoding: encoding, maxBytes: maxPushBytes)
                } catch .unsupported {
                    return PlainText.response(.unsupportedMediaType, "Content-Encoding \(GoQuote.quote(encoding)) not supported; use gzip, deflate, snappy or none\n")
                } catch .tooLarge {
                    return PlainText.response(.contentTooLarge, "push body larger than \(maxPushBytes) bytes once decompressed\n")
                } catch {
                    return PlainText.response(.badRequest, "\(error)\n")
                }
            }
            let decoded: PushRequest
            if contentType.hasPrefix("application/json") {
                guard bytes.count <= maxPushBytes else {
                    return PlainText.response(.contentTooLarge, "push body larger than \(maxPushBytes) bytes\n")
                }
                decoded = try LokiJSONPushDecoder.decode(bytes)
            } else if contentType.isEmpty || contentType.hasPrefix("application/x-protobuf") {
                // Loki reads protobuf when no type is given; the body is snappy's block format
                // whether or not `Content-Encoding: snappy` says so.
                decoded = try LokiProtobufPushDecoder.decode(snappy: bytes, maxDecodedBytes: maxPushBytes)
            } else {
                return PlainText.response(.unsupportedMediaType, "unsupported Content-Type \(GoQuote.quote(contentType)); use application/json or application/x-protobuf\n")
            }
            let result = try store.push(decoded, tenant: tenant)
            guard result.httpStatus != 204 else { return Response(status: .noContent) }
            logger.debug("Push partly refused", metadata: ["status": "\(result.httpStatus)", "err": "\(result.message)"])
            return PlainText.response(HTTPResponse.Status(code: result.httpStatus), result.message + "\n")
        } catch let error as LokiRequestError {
            return PlainText.response(.badRequest, error.message + "\n")
        } catch let error as LogStoreError {
            if error.httpStatus >= 500 { logger.error("Push failed in the log store", metadata: ["err": "\(error)"]) }
            return PlainText.response(HTTPResponse.Status(code: error.httpStatus), error.message + "\n")
        } catch {
            return PlainText.response(.internalServerError, "\(error)\n")
        }
    }

    // MARK: Metadata

    /// The tenant, window and `query` selector of a metadata call.
    struct Window {
        var tenant: String
        var start: Int64
        var end: Int64
        var parameters: APIParameters
    }

    func window(_ request: Request) async throws -> Window {
        let parameters: APIParameters
        do {
            parameters = try await APIParameters(request, maxBodyBytes: maxBodyBytes)
        } catch {
            throw LokiRequestError(error.message)
        }
        let tenant = try tenant(request) ?? store.options.defaultTenant
        let now = clock()
        let end = try Self.time(parameters["end"], name: "end") ?? now
        var start = try Self.time(parameters["start"], name: "start") ?? (end - Self.defaultLookback)
        if parameters["start"] == nil, let since = parameters["since"], !since.isEmpty {
            guard let duration = Self.duration(since) else { throw LokiRequestError("invalid since duration \(GoQuote.quote(since))") }
            start = end - duration
        }
        guard end >= start else { throw LokiRequestError("end timestamp must not be before start time") }
        // Loki's metadata windows include their end.
        return Window(tenant: tenant, start: start, end: end == .max ? end : end + 1, parameters: parameters)
    }

    /// Loki's time parameter: an integer is seconds (up to 10 digits) or nanoseconds; a decimal is
    /// float seconds; otherwise RFC 3339 with any fraction.
    static func time(_ text: String?, name: String) throws(LokiRequestError) -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        if !text.contains("."), let integer = Int64(text) {
            return text.count <= 10 ? integer.multipliedReportingOverflow(by: 1_000_000_000).partialValue : integer
        }
        if let seconds = Double(text), seconds.isFinite, text.contains(".") {
            return Int64(clamping: Int64((seconds * 1e9).rounded()))
        }
        if let nanoseconds = parseRFC3339Nano(text) { return nanoseconds }
        throw LokiRequestError("invalid \(name) timestamp \(GoQuote.quote(text)): expected nanoseconds, seconds or RFC 3339")
    }

    /// RFC 3339 keeping every fraction digit (VigilModel's parser stops at milliseconds).
    static func parseRFC3339Nano(_ text: String) -> Int64? {
        guard let milliseconds = RFC3339.parse(text) else { return nil }
        var nanoseconds = milliseconds * 1_000_000
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
            if digits.count > 3 {
                let extra = String(digits.dropFirst(3).prefix(6))
                let padded = extra + String(repeating: "0", count: 6 - extra.count)
                let sub = Int64(padded) ?? 0
                nanoseconds += milliseconds >= 0 ? sub : -sub
            }
        }
        return nanoseconds
    }

    /// A Go/Prometheus duration (`1h30m`, `90s`, `500ms`) in nanoseconds.
    static func duration(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [
            ("ms", 1_000_000), ("us", 1_000), ("µs", 1_000), ("ns", 1), ("h", 3_600_000_000_000), ("m", 60_000_000_000),
            ("s", 1_000_000_000), ("d", 86_400_000_000_000), ("w", 604_800_000_000_000), ("y", 31_536_000_000_000_000),
        ]
        var rest = Substring(text)
        var total: Int64 = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.0.count)
            total += Int64(value * Double(unit.1))
        }
        return total
    }

    func matchers(_ text: String?) throws -> [LabelMatcher] {
        guard let text, !text.isEmpty else { return [] }
        return try Self.selector(text)
    }

    /// A stream selector as Loki reads it in `query` and `match[]`: LogQL's, with its errors.
    static func selector(_ text: String) throws -> [LabelMatcher] {
        do {
            return try LogQLParser.parseLogSelector(text).matchers
        } catch {
            throw LokiRequestError(error.description)
        }
    }

    func labels(_ request: Request) async -> Response {
        await answer {
            let window = try await window(request)
            let names = store.labelNames(
                tenant: window.tenant, matchers: try matchers(window.parameters["query"]), start: window.start, end: window.end)
            var json = JSONBytes(capacity: 64 + names.count * 16)
            json.strings(names)
            return APIResponse.success(json)
        }
    }

    func labelValues(_ request: Request, name: String) async -> Response {
        await answer {
            let window = try await window(request)
            let values = store.labelValues(
                name, tenant: window.tenant, matchers: try matchers(window.parameters["query"]), start: window.start, end: window.end)
            var json = JSONBytes(capacity: 64 + values.count * 16)
            json.strings(values)
            return APIResponse.success(json)
        }
    }

    func series(_ request: Request) async -> Response {
        await answer {
            let window = try await window(request)
            let selectors = try window.parameters.all("match[]").map { try Self.selector($0) }
            guard !selectors.isEmpty else { throw LokiRequestError("at least one match[] argument is required") }
            let found = store.series(tenant: window.tenant, selectors: selectors, start: window.start, end: window.end)
            var json = JSONBytes(capacity: 64 + found.count * 64)
            json.raw("[")
            for (index, labels) in found.enumerated() {
                if index > 0 { json.raw(",") }
                json.labels(labels)
            }
            json.raw("]")
            return APIResponse.success(json)
        }
    }

    /// `{"streams":N,"chunks":N,"bytes":N,"entries":N}`, unwrapped, as Loki answers.
    func indexStats(_ request: Request) async -> Response {
        await answer {
            let window = try await window(request)
            guard let query = window.parameters["query"], !query.isEmpty else { throw LokiRequestError("query is required") }
            let stats = store.indexStats(tenant: window.tenant, matchers: try Self.selector(query), start: window.start, end: window.end)
            let body = "{\"streams\":\(stats.streams),\"chunks\":\(stats.chunks),\"bytes\":\(stats.bytes),\"entries\":\(stats.entries)}"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
    }

    /// Runs `body`, answering its errors as Loki does: plain text with 400 for bad requests.
    func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as LokiRequestError {
            return PlainText.response(.badRequest, error.message + "\n")
        } catch let error as LogStoreError {
            return PlainText.response(HTTPResponse.Status(code: error.httpStatus), error.message + "\n")
        } catch {
            return PlainText.response(.internalServerError, "\(error)\n")
        }
    }
}

/// A malformed parameter of a Loki API call (answered 400 with the message).
struct LokiRequestError: Error {
    let message: String

    init(_ message: String) { self.message = message }
}
