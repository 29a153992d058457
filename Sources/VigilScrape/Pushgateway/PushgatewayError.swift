/// Why the Pushgateway API refused a request, with the message it answers with.
///
/// The cases follow the real Pushgateway's answers: a URL that is no push URL (404), a grouping key
/// or body that cannot be read (400), a body format Vigil does not read (415), a push that would
/// make the pushed metrics inconsistent (400, and the group's `push_failure_time_seconds` is
/// updated), and a push that could not be made durable (500, nothing changed).
public struct PushgatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case notFound
        case invalidPath
        case unsupportedBody
        case invalidBody
        case rejected
        case storage
    }

    private let code: Code
    /// What is wrong, in words the pusher can act on.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The path is not under `/metrics/job/` or `/metrics/job@base64/`.
    static func notFound(_ path: String) -> Self { Self(.notFound, "no push URL: \(path)") }
    /// The grouping key in the path cannot be read (odd components, bad names, bad base64).
    static func invalidPath(_ message: String) -> Self { Self(.invalidPath, message) }
    /// The body is in a format Vigil does not accept (protobuf, compressed).
    static func unsupportedBody(_ message: String) -> Self { Self(.unsupportedBody, message) }
    /// The body does not parse as text format 0.0.4.
    static func invalidBody(_ message: String) -> Self { Self(.invalidBody, message) }
    /// The push parsed but breaks a Pushgateway rule (timestamps, inconsistent with other groups).
    static func rejected(_ message: String) -> Self {
        Self(.rejected, "pushed metrics are invalid or inconsistent with existing metrics: " + message)
    }
    /// The change could not be written to disk; the store is unchanged.
    static func storage(_ message: String) -> Self { Self(.storage, message) }

    /// The HTTP status the Pushgateway API answers with: 404, 400, 415 or 500.
    public var httpStatus: Int {
        switch code {
        case .notFound: 404
        case .invalidPath, .invalidBody, .rejected: 400
        case .unsupportedBody: 415
        case .storage: 500
        }
    }

    /// Whether the push was refused by the consistency rules (and recorded as a failed push).
    public var isRejectedPush: Bool { code == .rejected }

    /// The message.
    public var description: String { message }
}
