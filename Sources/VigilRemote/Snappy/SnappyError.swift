/// Why a snappy block could not be decompressed, and at which input byte.
///
/// A struct over a private code so cases can be added without breaking callers.
public struct SnappyError: Error, Sendable, Hashable, CustomStringConvertible {
    @usableFromInline
    internal enum Code: Sendable, Hashable {
        case badLengthHeader
        case lengthOverLimit(length: Int, limit: Int)
        case truncated
        case offsetBeforeStart(offset: Int, position: Int)
        case outputOverflow(declared: Int)
        case trailingBytes
        case outputShort(declared: Int, decoded: Int)
    }

    @usableFromInline
    internal let code: Code

    /// The offset into the compressed input where the problem was found.
    public let byteOffset: Int

    @usableFromInline
    internal init(_ code: Code, at byteOffset: Int) {
        self.code = code
        self.byteOffset = byteOffset
    }

    /// Whether the declared uncompressed length is larger than the caller's limit.
    public var isLengthOverLimit: Bool {
        if case .lengthOverLimit = code { return true }
        return false
    }

    /// A message naming the problem and the byte offset, such as `snappy: copy offset 9 before start ...`.
    public var description: String {
        let detail: String
        switch code {
        case .badLengthHeader:
            detail = "invalid uncompressed length header"
        case .lengthOverLimit(let length, let limit):
            detail = "uncompressed length \(length) exceeds the limit of \(limit) bytes"
        case .truncated:
            detail = "input ends in the middle of an element"
        case .offsetBeforeStart(let offset, let position):
            detail = "copy offset \(offset) reaches before the start of the output (at output byte \(position))"
        case .outputOverflow(let declared):
            detail = "element writes past the declared uncompressed length \(declared)"
        case .trailingBytes:
            detail = "trailing bytes after the declared uncompressed length was reached"
        case .outputShort(let declared, let decoded):
            detail = "input ended after \(decoded) of \(declared) declared bytes"
        }
        return "snappy: \(detail) at input byte \(byteOffset)"
    }
}
