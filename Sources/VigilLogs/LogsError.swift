/// A failure of the log pipeline, naming the file, offset or output it concerns.
public struct LogsError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in words a person can act on.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
