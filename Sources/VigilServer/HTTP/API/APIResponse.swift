import Hummingbird
import NIOCore
import VigilModel

/// Prometheus's API error classes (`errorType`) and the HTTP status each maps to.
enum APIErrorType: String {
    case badData = "bad_data"
    case execution
    case canceled
    case timeout
    case unavailable
    case internalError = "internal"
    case notFound = "not_found"

    var status: HTTPResponse.Status {
        switch self {
        case .badData: .badRequest
        case .execution: .unprocessableContent
        case .canceled: .init(code: 499, reasonPhrase: "Client Closed Request")
        case .timeout, .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        case .notFound: .notFound
        }
    }
}

/// An API failure carrying Prometheus's error class and message.
struct APIError: Error {
    var type: APIErrorType
    var message: String

    init(_ type: APIErrorType, _ message: String) {
        self.type = type
        self.message = message
    }
}

/// The `{"status":…,"data":…}` envelope every `/api/v1` answer uses, written by hand so large
/// results stream out without an intermediate object tree.
enum APIResponse {
    /// A success envelope around `data`, which must already be JSON.
    static func success(_ data: String, warnings: [String] = []) -> Response {
        var body = "{\"status\":\"success\",\"data\":" + data
        if !warnings.isEmpty {
            body += ",\"warnings\":[" + warnings.map(JSONQuoting.quote).joined(separator: ",") + "]"
        }
        body += "}"
        return json(.ok, body)
    }

    /// A success envelope around JSON bytes, copied once into the response buffer.
    static func success(_ data: JSONBytes) -> Response {
        let prefix = "{\"status\":\"success\",\"data\":"
        var buffer = ByteBuffer()
        buffer.reserveCapacity(prefix.utf8.count + data.bytes.count + 1)
        buffer.writeString(prefix)
        buffer.writeBytes(data.bytes)
        buffer.writeString("}")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }

    /// An error envelope with the status Prometheus uses for `error.type`.
    static func failure(_ error: APIError) -> Response {
        json(
            error.type.status,
            "{\"status\":\"error\",\"errorType\":\"\(error.type.rawValue)\",\"error\":" + JSONQuoting.quote(error.message) + "}"
        )
    }

    private static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }
}

/// JSON fragments in the shapes Prometheus's API writes.
enum APIJSON {
    /// `["a","b"]`.
    static func strings(_ values: some Collection<String>) -> String {
        var out = "["
        out.reserveCapacity(values.count * 16 + 2)
        var first = true
        for value in values {
            if !first { out.append(",") }
            first = false
            JSONQuoting.append(value, to: &out)
        }
        out.append("]")
        return out
    }

    /// `{"__name__":"up","job":"x"}` in label order.
    static func labels(_ labels: Labels) -> String {
        var out = ""
        appendLabels(labels, to: &out)
        return out
    }

    /// Appends `{"__name__":"up","job":"x"}` to `out`.
    static func appendLabels(_ labels: Labels, to out: inout String) {
        out.append("{")
        var first = true
        for label in labels {
            if !first { out.append(",") }
            first = false
            JSONQuoting.append(label.name, to: &out)
            out.append(":")
            JSONQuoting.append(label.value, to: &out)
        }
        out.append("}")
    }

    /// A timestamp in seconds with millisecond precision and no trailing zeros: `1600096945.479`.
    static func time(_ milliseconds: Int64) -> String {
        let seconds = milliseconds / 1000
        var millis = abs(milliseconds % 1000)
        let sign = milliseconds < 0 && seconds == 0 ? "-" : ""
        guard millis != 0 else { return sign + String(seconds) }
        var digits = 3
        while millis % 10 == 0 { millis /= 10; digits -= 1 }
        let fraction = String(millis)
        return sign + String(seconds) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}
