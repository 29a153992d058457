/// A matcher string Alertmanager's syntax does not accept.
///
/// ``message`` is the text Alertmanager itself prints (`bad matcher format: a b`), so `vigil check`
/// and the API answer as amtool and Alertmanager do; ``offset`` says where in the input the
/// offending matcher starts.
public struct MatcherParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, worded as Alertmanager words it.
    public var message: String
    /// The 0-based offset, in Unicode scalars, of the matcher the error is about within the whole input.
    public var offset: Int

    /// An error about the matcher starting at `offset`.
    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// The message.
    public var description: String { message }
}
