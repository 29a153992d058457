public import VigilModel

/// An alert's identity: prometheus/common's `LabelSet.Fingerprint`, FNV-1a (64 bit) over the
/// labels sorted by name, each name and value followed by the byte 0xFF.
public struct Fingerprint: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The hash.
    public var rawValue: UInt64

    /// Wraps a raw fingerprint.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The fingerprint of a label set.
    public init(_ labels: Labels) {
        var hash: UInt64 = 14_695_981_039_346_656_037
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 1_099_511_628_211
        }
        for label in labels {
            for byte in label.name.utf8 { add(byte) }
            add(0xFF)
            for byte in label.value.utf8 { add(byte) }
            add(0xFF)
        }
        rawValue = hash
    }

    /// Parses 16 (or fewer) hex digits, as the API prints fingerprints.
    public init?(hex: String) {
        guard !hex.isEmpty, hex.count <= 16, let value = UInt64(hex, radix: 16) else { return nil }
        rawValue = value
    }

    /// Sixteen lower-case hex digits (`%016x`).
    public var description: String {
        let digits = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Orders by the raw value.
    public static func < (lhs: Fingerprint, rhs: Fingerprint) -> Bool { lhs.rawValue < rhs.rawValue }
}
