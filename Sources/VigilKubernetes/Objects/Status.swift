/// The `meta/v1 Status` object the API server answers errors with, in a response body or in a
/// watch `ERROR` event.
public struct Status: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `Success` or `Failure`.
    public var status: String?
    /// A human-readable description.
    public var message: String?
    /// A machine-readable reason (`Expired`, `Gone`, `NotFound`, `Forbidden`).
    public var reason: String?
    /// The HTTP status code meant (410 for an expired resource version).
    public var code: Int?

    /// A status; used by tests and fakes.
    public init(status: String? = "Failure", message: String? = nil, reason: String? = nil, code: Int? = nil) {
        self.status = status
        self.message = message
        self.reason = reason
        self.code = code
    }

    /// Whether this says the requested resource version is too old (HTTP 410, reason
    /// `Expired` or `Gone`): the client must list again.
    public var isGone: Bool { code == 410 || reason == "Expired" || reason == "Gone" }

    /// `code reason: message`.
    public var description: String { "\(code.map(String.init) ?? "?") \(reason ?? ""): \(message ?? "")" }
}
