#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VigilModel

/// The real-time clock, read without Foundation.
enum WallClock {
    /// Now as whole seconds and nanoseconds since the Unix epoch.
    static func now() -> (seconds: Int64, nanoseconds: Int64) {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return (Int64(spec.tv_sec), Int64(spec.tv_nsec))
    }

    /// Now in RFC 3339 with milliseconds in UTC, as Prometheus's logs write it.
    static func nowRFC3339() -> String {
        let (seconds, nanoseconds) = now()
        return RFC3339.format(milliseconds: seconds * 1000 + nanoseconds / 1_000_000)
    }
}
