/// Prometheus's staleness marker: a NaN with one specific bit pattern.
///
/// An ordinary NaN is a valid sample value; only this exact pattern means "the series went away".
/// Compare with ``isStaleNaN(_:)``, never with `==` (NaN is unequal to itself).
public enum StaleNaN {
    /// The bit pattern `0x7ff0000000000002` (`value.StaleNaN` in Prometheus).
    public static let bitPattern: UInt64 = 0x7ff0_0000_0000_0002

    /// The staleness marker as a `Double`.
    @inlinable
    public static var value: Double { Double(bitPattern: bitPattern) }
}

/// Whether `value` is Prometheus's staleness marker (compared by bit pattern).
@inlinable
public func isStaleNaN(_ value: Double) -> Bool {
    value.bitPattern == StaleNaN.bitPattern
}
