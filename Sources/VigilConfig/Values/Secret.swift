/// A credential read from the configuration: never printed, dumped or logged.
///
/// `description`, `debugDescription` and reflection all show `<secret>`; read ``value`` only
/// where the credential is actually used (an HTTP header, a TLS key).
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable, Decodable
{
    /// The credential itself.
    public let value: String

    /// Wraps a credential.
    public init(_ value: String) {
        self.value = value
    }

    /// Decodes from any YAML scalar.
    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(String.self)
    }

    /// Always `<secret>`.
    public var description: String { "<secret>" }
    /// Always `<secret>`.
    public var debugDescription: String { "<secret>" }
    /// A mirror with no children, so `dump` shows nothing either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
