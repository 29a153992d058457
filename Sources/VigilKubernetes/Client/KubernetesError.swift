/// Why a Kubernetes API call, a watch or a client configuration failed.
///
/// Shaped like `ServiceGroupError`: a struct over a private code, so new cases do not break
/// callers. ``isGone`` is what list-and-watch loops branch on.
public struct KubernetesError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case gone
        case status(Int)
        case decoding
        case lineTooLong
        case stalled
        case configuration
        case credentials
    }

    private let code: Code
    /// What went wrong, naming the file, field, URL or byte offset involved.
    public let message: String
    /// The API server's `Status`, when it sent one.
    public let status: Status?

    private init(_ code: Code, _ message: String, status: Status? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// The requested resource version is too old (HTTP 410 or a watch ERROR event with code 410).
    public static func gone(_ status: Status?, url: String) -> KubernetesError {
        KubernetesError(.gone, "\(url): resource version expired: \(status?.message ?? "410 Gone")", status: status)
    }

    /// The API server answered `code` (other than 410).
    public static func httpStatus(_ code: Int, _ status: Status?, url: String) -> KubernetesError {
        KubernetesError(.status(code), "\(url): HTTP \(code)\(status.map { ": \($0.message ?? "")" } ?? "")", status: status)
    }

    /// A body or watch line did not decode.
    public static func decoding(_ what: String, url: String, offset: Int, _ error: any Error) -> KubernetesError {
        KubernetesError(.decoding, "\(url): cannot decode \(what) at byte offset \(offset): \(error)")
    }

    /// A watch line exceeded the limit.
    public static func lineTooLong(limit: Int, url: String, offset: Int) -> KubernetesError {
        KubernetesError(.lineTooLong, "\(url): watch event at byte offset \(offset) is longer than \(limit) bytes")
    }

    /// A watch sent nothing for longer than the stall timeout.
    public static func stalled(after: Duration, url: String) -> KubernetesError {
        KubernetesError(.stalled, "\(url): watch sent nothing for \(after)")
    }

    /// A kubeconfig or in-cluster setting is missing or wrong.
    public static func configuration(_ message: String) -> KubernetesError {
        KubernetesError(.configuration, message)
    }

    /// Credentials could not be obtained (an exec plugin failed, a token file is unreadable).
    public static func credentials(_ message: String) -> KubernetesError {
        KubernetesError(.credentials, message)
    }

    /// Whether the client must list again because its resource version expired.
    public var isGone: Bool {
        if case .gone = code { return true }
        return false
    }

    /// Whether a watch was abandoned because it sent nothing for too long.
    public var isStall: Bool {
        if case .stalled = code { return true }
        return false
    }

    /// Whether the object asked for does not exist (HTTP 404).
    public var isNotFound: Bool { httpStatusCode == 404 }

    /// Whether a write lost an optimistic-concurrency race: the object changed since it was read
    /// (HTTP 409, reason `Conflict`).
    public var isConflict: Bool { httpStatusCode == 409 && status?.reason != "AlreadyExists" }

    /// Whether a create found an object of that name already there (HTTP 409, reason `AlreadyExists`).
    public var isAlreadyExists: Bool { httpStatusCode == 409 && status?.reason == "AlreadyExists" }

    /// The HTTP status code, for errors the server answered.
    public var httpStatusCode: Int? {
        switch code {
        case .gone: 410
        case .status(let code): code
        default: nil
        }
    }

    /// The message.
    public var description: String { message }
}
