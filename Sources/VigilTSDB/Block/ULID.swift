#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A block's identity: 48 bits of creation time in milliseconds and 80 random bits, written as
/// 26 Crockford base32 characters (the ULID spec), so names sort by creation time.
public struct ULID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 128 bits, most significant first.
    public let high: UInt64
    /// The low 64 bits.
    public let low: UInt64

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A ULID for `milliseconds` since the epoch with random bits from `generator`.
    public init(milliseconds: UInt64, using generator: inout some RandomNumberGenerator) {
        let random = generator.next()
        high = (milliseconds & 0xFFFF_FFFF_FFFF) << 16 | (random & 0xFFFF)
        low = generator.next()
    }

    /// A new ULID for the current wall-clock time.
    public init() {
        var generator = SystemRandomNumberGenerator()
        self.init(milliseconds: UInt64(ULID.nowMilliseconds()), using: &generator)
    }

    /// Parses the 26-character form (case-insensitive); nil if it is not a ULID.
    public init?(_ string: String) {
        let utf8 = Array(string.utf8)
        guard utf8.count == 26 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in utf8.enumerated() {
            var upper = byte
            if upper >= 0x61 && upper <= 0x7A { upper -= 0x20 }
            guard let digit = ULID.alphabet.firstIndex(of: upper) else { return nil }
            // The first character carries only 3 bits (128 = 2 + 25 × 5).
            if index == 0 && digit > 7 { return nil }
            high = high << 5 | low >> 59
            low = low << 5 | UInt64(digit)
        }
        self.high = high
        self.low = low
    }

    /// The creation time, milliseconds since the epoch.
    public var milliseconds: UInt64 { high >> 16 }

    /// The 26-character Crockford base32 form.
    public var description: String {
        var characters = [UInt8](repeating: 0, count: 26)
        var high = high
        var low = low
        for index in stride(from: 25, through: 0, by: -1) {
            characters[index] = ULID.alphabet[Int(low & 0x1F)]
            low = low >> 5 | high << 59
            high >>= 5
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// Orders by time, then by the random bits.
    public static func < (lhs: ULID, rhs: ULID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
