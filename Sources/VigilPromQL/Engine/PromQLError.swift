/// Why a query could not be evaluated, classified as Prometheus's HTTP API classifies it.
///
/// ``kind`` maps to the API's `errorType`; ``message`` is Prometheus's wording.
public struct PromQLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The API error class (`errorType`).
    public enum Kind: String, Sendable, Hashable {
        /// `bad_data`: parse errors and invalid arguments.
        case badData = "bad_data"
        /// `execution`: runtime failures such as many-to-many matching or too many samples.
        case execution
        /// `timeout`: the query ran past its deadline.
        case timeout
        /// `canceled`: the caller's task was cancelled.
        case canceled
        /// `internal`: a storage failure or an engine bug.
        case `internal`
    }

    /// The error class.
    public let kind: Kind
    /// Prometheus's message.
    public let message: String

    /// An error of `kind` with `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }

    static func execution(_ message: String) -> PromQLError { PromQLError(.execution, message) }
    static let tooManySamples = PromQLError(.execution, "query processing would load too many samples into memory in query execution")
    static let timeout = PromQLError(.timeout, "query timed out in expression evaluation")
    static let canceled = PromQLError(.canceled, "query was canceled in expression evaluation")
    static let sameLabelset = PromQLError(.execution, "vector cannot contain metrics with the same labelset")
}
