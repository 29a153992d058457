/// Why the log store refused something, with the HTTP status Loki answers for it.
///
/// A struct over a private code so cases can be added without breaking callers; `message` is what
/// Loki would say, naming the stream, the byte offset or the limit involved.
public struct LogStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: Sendable, Hashable {
        case badRequest
        case rateLimited
        case tooLarge
        case io
        case closed
    }

    let code: Code
    /// What went wrong, in words a user can act on.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The HTTP status Loki uses for this error: 400, 413, 429 or 500.
    public var httpStatus: Int {
        switch code {
        case .badRequest: 400
        case .rateLimited: 429
        case .tooLarge: 413
        case .io, .closed: 500
        }
    }

    /// True for rate and stream limits (HTTP 429): the client should retry later.
    public var isRateLimit: Bool { code == .rateLimited }

    /// The message.
    public var description: String { message }

    static func badRequest(_ message: String) -> LogStoreError { LogStoreError(.badRequest, message) }
    static func io(_ message: String) -> LogStoreError { LogStoreError(.io, message) }
}
