/// A size in bytes, written as Prometheus writes `body_size_limit`: `10MB`, `1.5GiB`, `512KB`, `0`.
///
/// Units are base 2 whether or not the `i` is written (KB = KiB = 1024), as in Prometheus's
/// `units.Base2Bytes`; a bare integer is a count of bytes. Zero means "no limit" where used as one.
public struct ByteSize: Sendable, Hashable, Comparable, CustomStringConvertible, Decodable {
    /// The size in bytes; never negative.
    public var bytes: Int64

    /// A size of `bytes` bytes.
    public init(bytes: Int64) {
        self.bytes = bytes
    }

    /// Zero bytes (for limits: no limit).
    public static let zero = ByteSize(bytes: 0)

    private static let multipliers: [String: Double] = {
        var table: [String: Double] = ["B": 1]
        var factor: Double = 1
        for prefix in ["K", "M", "G", "T", "P", "E"] {
            factor *= 1024
            for spelling in [prefix, prefix.lowercased()] where spelling == prefix || prefix == "K" {
                table[spelling + "iB"] = factor
                table[spelling + "B"] = factor
            }
        }
        return table
    }()

    /// Parses `10MB`-style text; throws ``ConfigValidationError`` when it is not a size.
    public init(parsing text: String) throws(ConfigValidationError) {
        let invalid = ConfigValidationError("invalid size \"\(text)\" (use a number of bytes or units like 512KB, 10MiB, 1GB)")
        if text == "0" {
            self = .zero
            return
        }
        var rest = Substring(text)
        var total: Double = 0
        guard !rest.isEmpty else { throw invalid }
        while !rest.isEmpty {
            let number = rest.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
            guard !number.isEmpty, number != ".", let value = Double(number) else { throw invalid }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix(while: { !($0.isASCII && ($0.isNumber || $0 == ".")) })
            rest = rest.dropFirst(unit.count)
            guard let multiplier = Self.multipliers[String(unit)] else { throw invalid }
            total += value * multiplier
        }
        guard total < 0x1p63 else { throw ConfigValidationError("size \"\(text)\" is too large") }
        bytes = Int64(total)
    }

    /// Decodes from a YAML integer (bytes) or a string with units.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let count = try? container.decode(Int64.self) {
            guard count >= 0 else { throw ConfigValidationError("size must not be negative") }
            self.init(bytes: count)
        } else {
            try self.init(parsing: try container.decode(String.self))
        }
    }

    /// Prometheus's spelling, largest units first: `10MiB`, `1KiB512B`, `0B`.
    public var description: String {
        if bytes == 0 { return "0B" }
        var remaining = bytes
        var parts: [String] = []
        for unit in ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] {
            if remaining == 0 { break }
            let part = remaining % 1024
            if part != 0 { parts.append("\(part)\(unit)") }
            remaining /= 1024
        }
        return parts.reversed().joined()
    }

    /// Orders sizes.
    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }
}
