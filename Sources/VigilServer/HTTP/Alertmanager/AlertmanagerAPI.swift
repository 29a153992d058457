import Foundation
import Hummingbird
import NIOCore
import VigilAlertmanager
import VigilModel

/// Alertmanager's API v2 (what amtool, Grafana's Alertmanager data source and Prometheus call),
/// served by the embedded Alertmanager under `/api/v2/`:
///
/// - `GET status`, `GET receivers`
/// - `GET|POST alerts` (`filter`, `active`, `silenced`, `inhibited`, `unprocessed`, `receiver`)
/// - `GET alerts/groups` (the same filters)
/// - `GET|POST silences` (`filter`), `GET|DELETE silence/{id}`
///
/// Errors are answered as go-swagger answers them: a JSON string with 400, 404 without a body,
/// 500 with a JSON string.
struct AlertmanagerAPI: Sendable {
    let alertmanager: Alertmanager
    let maxBodyBytes: Int

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/v2/status") { _, _ in status() }
        router.get("/api/v2/receivers") { _, _ in
            json(.ok, "[" + alertmanager.receiverNames.map { "{\"name\":" + JSONQuoting.quote($0) + "}" }.joined(separator: ",") + "]")
        }
        router.get("/api/v2/alerts") { request, _ in
            do throws(AlertmanagerAPIError) {
                let filter = try Self.filter(request)
                return json(.ok, AlertmanagerJSON.alerts(alertmanager.alerts(filter)))
            } catch {
                return error.response
            }
        }
        router.post("/api/v2/alerts") { request, _ in
            do throws(AlertmanagerAPIError) {
                let posted = try Self.postableAlerts(try await bytes(request))
                let errors = await alertmanager.putAlerts(posted)
                guard errors.isEmpty else {
                    throw AlertmanagerAPIError(.badRequest, errors.map(\.description).joined(separator: ";"))
                }
                return Response(status: .ok)
            } catch {
                return error.response
            }
        }
        router.get("/api/v2/alerts/groups") { request, _ in
            do throws(AlertmanagerAPIError) {
                let filter = try Self.filter(request)
                return json(.ok, AlertmanagerJSON.groups(await alertmanager.alertGroups(filter)))
            } catch {
                return error.response
            }
        }
        router.get("/api/v2/silences") { request, _ in
            do throws(AlertmanagerAPIError) {
                let matchers = try Self.matchers(Self.query(request).filter { $0.0 == "filter" }.map(\.1))
                let silences = alertmanager.silences().filter { Self.silence($0, matches: matchers) }
                return json(.ok, AlertmanagerJSON.silences(silences, now: alertmanager.now()))
            } catch {
                return error.response
            }
        }
        router.post("/api/v2/silences") { request, _ in
            do throws(AlertmanagerAPIError) {
                let silence = try Self.postableSilence(try await body(request), now: alertmanager.now())
                let id: String
                do throws(SilenceError) {
                    id = try alertmanager.createSilence(silence)
                } catch {
                    throw AlertmanagerAPIError(error.kind == .notFound ? .notFound : .badRequest, error.message)
                }
                return json(.ok, "{\"silenceID\":" + JSONQuoting.quote(id) + "}")
            } catch {
                return error.response
            }
        }
        router.get("/api/v2/silence/{id}") { _, context in
            guard let id = context.parameters.get("id"), let silence = alertmanager.silence(id: id) else {
                return Response(status: .notFound)
            }
            var out = ""
            AlertmanagerJSON.silence(silence, now: alertmanager.now(), into: &out)
            return json(.ok, out)
        }
        router.delete("/api/v2/silence/{id}") { _, context in
            do throws(AlertmanagerAPIError) {
                let id = context.parameters.get("id") ?? ""
                do throws(SilenceError) {
                    try alertmanager.expireSilence(id: id)
                } catch {
                    throw AlertmanagerAPIError(error.kind == .notFound ? .notFound : .internalServerError, error.message)
                }
                return Response(status: .ok)
            } catch {
                return error.response
            }
        }
    }

    private func status() -> Response {
        let status = alertmanager.status
        let version = "{\"branch\":" + JSONQuoting.quote(BuildInfo.branch) + ",\"buildDate\":\"\",\"buildUser\":\"\""
            + ",\"goVersion\":" + JSONQuoting.quote(BuildInfo.swiftVersion) + ",\"revision\":\"\",\"version\":"
            + JSONQuoting.quote(status.version) + "}"
        return json(
            .ok,
            "{\"cluster\":{\"peers\":[],\"status\":\"disabled\"},\"config\":{\"original\":" + JSONQuoting.quote(status.configOriginal)
                + "},\"uptime\":" + AlertmanagerJSON.time(status.startedAt) + ",\"versionInfo\":" + version + "}")
    }

    private func bytes(_ request: Request) async throws(AlertmanagerAPIError) -> [UInt8] {
        do {
            return Array(buffer: try await request.body.collect(upTo: maxBodyBytes))
        } catch {
            throw AlertmanagerAPIError(.contentTooLarge, "request body larger than \(maxBodyBytes) bytes")
        }
    }

    private func body(_ request: Request) async throws(AlertmanagerAPIError) -> Any {
        let data = try await bytes(request)
        do {
            return try JSONSerialization.jsonObject(with: Data(data), options: [.fragmentsAllowed])
        } catch {
            throw AlertmanagerAPIError(.badRequest, "parsing body: invalid JSON at or near byte \(Self.errorOffset(error) ?? 0)")
        }
    }

    private static func errorOffset(_ error: any Error) -> Int? {
        (error as NSError).userInfo["NSJSONSerializationErrorIndex"] as? Int
    }

    private func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func query(_ request: Request) throws(AlertmanagerAPIError) -> [(String, String)] {
        do {
            return try APIParameters.decodeForm(request.uri.query ?? "")
        } catch {
            throw AlertmanagerAPIError(.badRequest, error.message)
        }
    }

    static func matchers(_ filters: [String]) throws(AlertmanagerAPIError) -> [LabelMatcher] {
        var matchers: [LabelMatcher] = []
        for filter in filters {
            do {
                matchers.append(try AlertMatchers.parseMatcher(filter))
            } catch {
                throw AlertmanagerAPIError(.badRequest, "bad matcher format: \(filter)")
            }
        }
        return matchers
    }

    /// The alert filter of `GET alerts` and `GET alerts/groups`; booleans default to true.
    static func filter(_ request: Request) throws(AlertmanagerAPIError) -> AlertFilter {
        let pairs = try query(request)
        func flag(_ name: String) throws(AlertmanagerAPIError) -> Bool {
            guard let text = pairs.last(where: { $0.0 == name })?.1 else { return true }
            switch text {
            case "true", "1": return true
            case "false", "0": return false
            default: throw AlertmanagerAPIError(.badRequest, "\(name) in query must be of type boolean: \"\(text)\"")
            }
        }
        let matchers = try matchers(pairs.filter { $0.0 == "filter" }.map(\.1))
        do {
            return try AlertFilter(
                matchers: matchers, active: try flag("active"), silenced: try flag("silenced"),
                inhibited: try flag("inhibited"), unprocessed: try flag("unprocessed"),
                receiverRegex: pairs.last { $0.0 == "receiver" }?.1)
        } catch {
            throw AlertmanagerAPIError(.badRequest, "failed to parse receiver param: \(error)")
        }
    }

    /// Whether a silence passes the `filter` matchers as Alertmanager's API judges it: each
    /// filter matcher must match the value the silence's matcher of that name has.
    static func silence(_ silence: Silence, matches filters: [LabelMatcher]) -> Bool {
        var values: [String: String] = [:]
        for matcher in silence.matchers { values[matcher.name] = matcher.value }
        for filter in filters {
            let value = values[filter.name]
            switch filter.type {
            case .notEqual, .regexNoMatch:
                if filter.value.isEmpty && value != nil { continue }
            case .equal, .regexMatch:
                if filter.value.isEmpty && value == nil { continue }
            }
            if !filter.matches(value ?? "") { return false }
        }
        return true
    }

    /// The body of `POST /api/v2/alerts`, read in place (this is the hot path of an Alertmanager
    /// that many Prometheus servers send to).
    static func postableAlerts(_ body: [UInt8]) throws(AlertmanagerAPIError) -> [PostableAlert] {
        var reader = JSONReader(body)
        var alerts: [PostableAlert] = []
        do throws(JSONReader.Error) {
            try reader.readArray { (reader: inout JSONReader) throws(JSONReader.Error) in
                var alert = PostableAlert(labels: [:])
                var sawLabels = false
                try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Error) in
                    switch key {
                    case "labels":
                        sawLabels = !reader.readNull()
                        if sawLabels { alert.labels = try stringMap(&reader) }
                    case "annotations":
                        if !reader.readNull() { alert.annotations = try stringMap(&reader) }
                    case "startsAt": alert.startsAt = try time(&reader, key)
                    case "endsAt": alert.endsAt = try time(&reader, key)
                    case "generatorURL": alert.generatorURL = reader.readNull() ? "" : try reader.readString()
                    default: try reader.skipValue()
                    }
                }
                guard sawLabels else { throw reader.failure("labels in body is required") }
                alerts.append(alert)
            }
            try reader.expectEnd()
        } catch {
            throw AlertmanagerAPIError(.badRequest, "parsing alerts body: \(error)")
        }
        return alerts
    }

    private static func stringMap(_ reader: inout JSONReader) throws(JSONReader.Error) -> [String: String] {
        var map: [String: String] = [:]
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Error) in
            map[key] = try reader.readString()
        }
        return map
    }

    /// An RFC 3339 time as nanoseconds; nil for null or Go's zero time.
    private static func time(_ reader: inout JSONReader, _ field: String) throws(JSONReader.Error) -> Int64? {
        if reader.readNull() { return nil }
        let text = try reader.readString()
        guard let milliseconds = RFC3339.parse(text) else {
            throw reader.failure("\(field) in body must be of type date-time: \(GoQuote.quote(text))")
        }
        return text.hasPrefix("0001-01-01T00:00:00") ? nil : milliseconds * 1_000_000
    }

    static func postableSilence(_ body: Any, now: Int64) throws(AlertmanagerAPIError) -> Silence {
        guard let object = body as? [String: Any] else {
            throw AlertmanagerAPIError(.badRequest, "parsing silence body: expected an object")
        }
        func required(_ key: String) throws(AlertmanagerAPIError) -> Any {
            guard let value = object[key], !(value is NSNull) else {
                throw AlertmanagerAPIError(.badRequest, "\(key) in body is required")
            }
            return value
        }
        guard let rawMatchers = try required("matchers") as? [Any] else {
            throw AlertmanagerAPIError(.badRequest, "matchers in body must be of type array")
        }
        var matchers: [LabelMatcher] = []
        for (index, raw) in rawMatchers.enumerated() {
            guard let matcher = raw as? [String: Any], let name = matcher["name"] as? String,
                  let value = matcher["value"] as? String
            else {
                throw AlertmanagerAPIError(.badRequest, "matchers.\(index): name, value and isRegex are required")
            }
            let isRegex = matcher["isRegex"] as? Bool ?? false
            let isEqual = matcher["isEqual"] as? Bool ?? true
            let type: LabelMatcher.MatchType =
                switch (isRegex, isEqual) {
                case (false, true): .equal
                case (false, false): .notEqual
                case (true, true): .regexMatch
                case (true, false): .regexNoMatch
                }
            do {
                matchers.append(try LabelMatcher(type, name, value))
            } catch {
                throw AlertmanagerAPIError(.badRequest, "invalid silence: invalid label matcher \(index): \(error)")
            }
        }
        guard let startsAt = try time(try required("startsAt"), "startsAt"),
              let endsAt = try time(try required("endsAt"), "endsAt")
        else {
            throw AlertmanagerAPIError(.badRequest, "startsAt and endsAt in body are required")
        }
        guard let createdBy = try required("createdBy") as? String, let comment = try required("comment") as? String else {
            throw AlertmanagerAPIError(.badRequest, "createdBy and comment in body must be of type string")
        }
        return Silence(
            id: object["id"] as? String ?? "", matchers: matchers, startsAt: startsAt, endsAt: endsAt,
            createdBy: createdBy, comment: comment)
    }

    /// An RFC 3339 time as nanoseconds; nil when absent or Go's zero time.
    private static func time(_ value: Any?, _ field: String) throws(AlertmanagerAPIError) -> Int64? {
        guard let value, !(value is NSNull) else { return nil }
        guard let text = value as? String, let milliseconds = RFC3339.parse(text) else {
            throw AlertmanagerAPIError(.badRequest, "\(field) in body must be of type date-time: \(value)")
        }
        if text.hasPrefix("0001-01-01T00:00:00") { return nil }
        return milliseconds * 1_000_000
    }
}

/// An API v2 failure: a status and, except for 404, a JSON string body.
struct AlertmanagerAPIError: Error {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    var response: Response {
        if status == .notFound { return Response(status: .notFound) }
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: JSONQuoting.quote(message))))
    }
}
