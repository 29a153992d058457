import Hummingbird
import NIOCore
import VigilModel
import VigilPromQL

/// The parameters of one API call: the URL query and, for POST form bodies, the form, merged as
/// Go's `Request.ParseForm` merges them (body values first).
struct APIParameters {
    private var values: [(key: String, value: String)] = []

    /// Reads the query string and a form body of at most `maxBodyBytes`.
    init(_ request: Request, maxBodyBytes: Int) async throws(APIError) {
        var body: [(String, String)] = []
        if request.method == .post || request.method == .put,
           let type = request.headers[.contentType], type.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: maxBodyBytes)
            } catch {
                throw APIError(.badData, "error parsing form values: request body too large or unreadable")
            }
            body = try Self.decodeForm(String(buffer: buffer))
        }
        values = body + (try Self.decodeForm(request.uri.query ?? ""))
    }

    /// The first value of `key`.
    subscript(key: String) -> String? {
        values.first { $0.key == key }?.value
    }

    /// Every value of `key`, in order (`match[]`).
    func all(_ key: String) -> [String] {
        values.filter { $0.key == key }.map(\.value)
    }

    /// `application/x-www-form-urlencoded` pairs: `&`-separated, `+` as space, `%XX` escapes.
    static func decodeForm(_ text: String) throws(APIError) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let key: Substring
            let value: Substring
            if let equals = part.firstIndex(of: "=") {
                key = part[..<equals]
                value = part[part.index(after: equals)...]
            } else {
                key = part
                value = ""
            }
            guard let decodedKey = percentDecode(key), let decodedValue = percentDecode(value) else {
                throw APIError(.badData, "error parsing form values: invalid URL escape in \"\(part)\"")
            }
            pairs.append((decodedKey, decodedValue))
        }
        return pairs
    }

    private static func percentDecode(_ text: Substring) -> String? {
        PercentEncoding.decode(text, plusAsSpace: true).flatMap { String(validating: $0, as: UTF8.self) }
    }

    // MARK: Typed parameters

    /// Prometheus's smallest and largest API times (`minTime`/`maxTime` in `web/api/v1`).
    static let minTime: Int64 = -9_223_309_901_257_974
    static let maxTime: Int64 = 9_223_309_901_257_974

    /// A time parameter: float seconds (`1600096945.479`) or RFC 3339; `defaultValue` when absent.
    func time(_ key: String, default defaultValue: Int64) throws(APIError) -> Int64 {
        guard let text = self[key], !text.isEmpty else { return defaultValue }
        if let milliseconds = Self.parseTime(text) { return milliseconds }
        throw APIError(.badData, "invalid parameter \"\(key)\": cannot parse \"\(text)\" to a valid timestamp")
    }

    /// Float seconds or RFC 3339 to milliseconds, as Prometheus's `parseTime`.
    static func parseTime(_ text: String) -> Int64? {
        if let seconds = Double(text), seconds.isFinite {
            let milliseconds = (seconds * 1000).rounded()
            guard milliseconds >= Double(minTime), milliseconds <= Double(maxTime) else {
                return milliseconds < 0 ? minTime : maxTime
            }
            return Int64(milliseconds)
        }
        return RFC3339.parse(text)
    }

    /// `limit`: a non-negative integer, 0 or absent meaning no limit.
    func limit() throws(APIError) -> Int? {
        guard let text = self["limit"], !text.isEmpty else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw APIError(.badData, "invalid parameter \"limit\": limit must be positive")
        }
        return value == 0 ? nil : value
    }

    /// The `match[]` selectors, parsed; empty when none were given.
    func matchers() throws(APIError) -> [[LabelMatcher]] {
        var result: [[LabelMatcher]] = []
        for selector in all("match[]") {
            do {
                result.append(try PromQL.parseMetricSelector(selector))
            } catch {
                throw APIError(.badData, "invalid parameter \"match[]\": \(error)")
            }
        }
        return result
    }
}
