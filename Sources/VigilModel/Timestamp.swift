#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in time as Prometheus stores it: milliseconds since the Unix epoch, UTC.
public typealias Timestamp = Int64

/// Wall-clock helpers for ``Timestamp`` values, without Foundation.
public enum Timestamps {
    /// The current time in milliseconds since the epoch (`clock_gettime(CLOCK_REALTIME)`).
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) &* 1000 &+ Int64(spec.tv_nsec) / 1_000_000
    }

    /// Converts seconds since the epoch to milliseconds the way Prometheus does (`int64(s*1000)`,
    /// truncating toward zero); `nil` for NaN, infinities and values outside `Int64`.
    public static func timestamp(seconds: Double) -> Timestamp? {
        let milliseconds = seconds * 1000
        guard milliseconds.isFinite,
              milliseconds >= -9.223372036854775808e18, milliseconds < 9.223372036854775808e18
        else { return nil }
        return Int64(milliseconds)
    }

    /// Converts milliseconds since the epoch to (possibly fractional) seconds.
    @inlinable
    public static func seconds(_ timestamp: Timestamp) -> Double {
        Double(timestamp) / 1000
    }
}
