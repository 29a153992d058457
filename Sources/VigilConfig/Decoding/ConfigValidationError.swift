/// Thrown from a `Decodable` initialiser to reject a value the YAML layer could not judge.
///
/// The config decoder turns it into a ``ConfigError`` carrying the file, line and column of the
/// node being decoded — or, when `field` names a path below that node (`"scrape_timeout"`, or
/// `"scrape_configs", 2, "job_name"`), of the node at that path. Validate after reading every key,
/// so that an unknown field (a typo) is reported in preference to the validation that follows from it.
public struct ConfigValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, in words a person can act on.
    public var message: String
    /// A path relative to the node being decoded; empty means the node itself.
    public var field: [ConfigPathComponent]

    /// Rejects the value at `field` (relative to the node being decoded) with `message`.
    public init(_ message: String, field: ConfigPathComponent...) {
        self.message = message
        self.field = field
    }

    /// Rejects the value at the relative path `field` with `message`.
    public init(_ message: String, fieldPath field: [ConfigPathComponent]) {
        self.message = message
        self.field = field
    }

    /// The message, prefixed with the relative field path if there is one.
    public var description: String {
        field.isEmpty ? message : "\(ConfigPathComponent.format(field)): \(message)"
    }
}
