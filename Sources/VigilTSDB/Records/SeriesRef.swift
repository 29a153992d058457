/// The head's id for one series: assigned once, never reused while the WAL may still mention it.
public typealias SeriesRef = UInt64

/// One sample addressed by series ref: what appenders buffer and what WAL sample records hold.
public struct RefSample: Sendable, Equatable {
    /// The series.
    public var ref: SeriesRef
    /// Milliseconds since the epoch.
    public var timestamp: Int64
    /// The value; the stale marker is a NaN with a distinct bit pattern (`StaleNaN`).
    public var value: Double

    /// A sample of series `ref`.
    public init(ref: SeriesRef, timestamp: Int64, value: Double) {
        self.ref = ref
        self.timestamp = timestamp
        self.value = value
    }

    /// Equal when refs and timestamps are equal and values have the same bit pattern.
    public static func == (lhs: RefSample, rhs: RefSample) -> Bool {
        lhs.ref == rhs.ref && lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
    }
}

/// A deleted interval `[mint, maxt]` (inclusive, milliseconds) of one series.
public struct Tombstone: Sendable, Equatable {
    /// The series.
    public var ref: SeriesRef
    /// First deleted millisecond.
    public var mint: Int64
    /// Last deleted millisecond.
    public var maxt: Int64

    /// A deletion of `[mint, maxt]` from series `ref`.
    public init(ref: SeriesRef, mint: Int64, maxt: Int64) {
        self.ref = ref
        self.mint = mint
        self.maxt = maxt
    }
}
