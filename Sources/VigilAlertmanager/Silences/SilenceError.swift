/// Why a silence operation failed. ``description`` is Alertmanager's message.
public struct SilenceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What sort of failure, so the API can choose its status code.
    public enum Kind: Sendable, Hashable {
        /// No silence has that ID (404).
        case notFound
        /// The silence is not acceptable (400).
        case invalid
        /// The snapshot could not be written or read.
        case storage
    }

    /// What sort of failure.
    public var kind: Kind
    /// The message.
    public var message: String

    /// An error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
