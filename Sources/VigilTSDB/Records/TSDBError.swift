/// An error from the storage engine, with the context a user or caller can act on.
///
/// Callers switch on ``kind`` (for example to answer HTTP 400 for out-of-bounds samples and 5xx for
/// I/O failures); new kinds may be added.
public struct TSDBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What class of failure this is.
    public enum Kind: Sendable, Equatable {
        /// A sample older than the series' newest by more than the out-of-order window.
        case outOfBounds
        /// Out of order and out-of-order ingestion is disabled for this sample.
        case outOfOrder
        /// Same timestamp as a stored sample but a different value.
        case duplicateSampleForTimestamp
        /// A label set that cannot be stored (empty, unsorted, duplicate names, empty names).
        case invalidLabels
        /// A configured series or batch limit was reached.
        case limitExceeded
        /// A file is damaged (checksum mismatch, truncated, bad magic).
        case corruption
        /// The operating system refused a file operation.
        case io
        /// The store is closed.
        case closed
    }

    /// What class of failure this is.
    public var kind: Kind
    /// A message naming the series, file, offset or limit concerned.
    public var message: String

    /// An error of `kind` with `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
