/// A token bucket in bytes: `rate` per second refills up to `burst`. A limit of 0 never refuses.
struct TokenBucket: Sendable {
    var tokens: Double
    var last: Int64

    init(burst: Int, now: Int64) {
        tokens = Double(burst)
        last = now
    }

    /// Takes `bytes` if they are available at `now` and says whether it did.
    mutating func take(_ bytes: Int, rate: Int, burst: Int, now: Int64) -> Bool {
        guard rate > 0 else { return true }
        if now > last {
            tokens = min(Double(max(burst, rate)), tokens + Double(now - last) / 1e9 * Double(rate))
            last = now
        }
        guard Double(bytes) <= tokens else { return false }
        tokens -= Double(bytes)
        return true
    }
}
