/// Why a discovery source (a file, an HTTP endpoint) gave no usable target groups this time.
public struct DiscoveryError: Error, Sendable, CustomStringConvertible {
    /// The error, with the file position or HTTP status when there is one.
    public let message: String
    /// The message.
    public var description: String { message }
}
