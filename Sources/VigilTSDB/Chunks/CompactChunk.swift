/// One chunk of float samples in Vigil's compact block encoding (chunk encoding 2), meant for
/// compacted blocks where bytes on disk matter more than Prometheus byte-compatibility.
///
/// Timestamps are stored as each interval's difference from the chunk's most common interval,
/// with runs of zeros run-length coded. Values that are all decimal-scaled integers (`v × 10^k`
/// exact for `k ≤ 9`) are stored as integers in delta or delta-of-delta form, divided by their
/// common factor; other chunks keep Prometheus's XOR value scheme. Layout:
/// `docs/formats/chunks.md`. A value type: copies share storage.
public struct CompactChunk: Sendable, Equatable {
    /// The chunk encoding byte blocks write before a compact chunk (XOR is 1).
    public static let encoding: UInt8 = 2

    /// The encoded chunk, header included.
    public let bytes: [UInt8]
    /// The first sample's timestamp (ms); `Int64.max` for an empty chunk.
    public let minTime: Int64
    /// The last sample's timestamp (ms); `Int64.min` for an empty chunk.
    public let maxTime: Int64

    /// Wraps bytes whose time range the caller already knows (for example from an index entry).
    public init(bytes: [UInt8], minTime: Int64, maxTime: Int64) {
        self.bytes = bytes
        self.minTime = minTime
        self.maxTime = maxTime
    }

    /// Wraps and validates encoded bytes, decoding them once to learn the time range.
    ///
    /// Throws `.corruption` when the bytes do not decode to the samples the header promises.
    public init(bytes: [UInt8]) throws(TSDBError) {
        var times: [Int64] = []
        var values: [Double] = []
        guard CompactCodec.decode(bytes, into: &times, &values) else {
            throw TSDBError(.corruption, "compact chunk of \(bytes.count) bytes does not decode")
        }
        self.init(bytes: bytes, minTime: times.first ?? .max, maxTime: times.last ?? .min)
    }

    /// Encodes samples given in strictly increasing timestamp order (at most 65,535).
    public init(samples: some Sequence<(timestamp: Int64, value: Double)>) {
        var times: [Int64] = []
        var values: [Double] = []
        for sample in samples {
            times.append(sample.timestamp)
            values.append(sample.value)
        }
        self.init(bytes: CompactCodec.encode(times, values), minTime: times.first ?? .max, maxTime: times.last ?? .min)
    }

    /// The same samples re-encoded compactly, or nil when that would not be smaller than `chunk`
    /// (the block writer then keeps the XOR chunk).
    public static func compacting(_ chunk: XORChunk) -> CompactChunk? {
        var times: [Int64] = []
        var values: [Double] = []
        guard chunk.decodeAll(into: &times, &values) else { return nil }
        let bytes = CompactCodec.encode(times, values)
        guard bytes.count < chunk.bytes.count else { return nil }
        return CompactChunk(bytes: bytes, minTime: chunk.minTime, maxTime: chunk.maxTime)
    }

    /// The number of samples, from the header.
    @inlinable
    public var count: Int { bytes.count >= 2 ? Int(bytes[0]) &<< 8 | Int(bytes[1]) : 0 }

    /// Appends every sample to `timestamps` (ms) and `values`; false (and nothing appended) when
    /// the chunk is damaged.
    @discardableResult
    public func decodeAll(into timestamps: inout [Int64], _ values: inout [Double]) -> Bool {
        CompactCodec.decode(bytes, into: &timestamps, &values)
    }

    /// An iterator positioned before the first sample.
    public func makeIterator() -> CompactIterator { CompactIterator(bytes: bytes) }

    /// The samples as an XOR chunk (for remote read, which only knows XOR); nil when damaged.
    public func xorChunk() -> XORChunk? {
        var times: [Int64] = []
        var values: [Double] = []
        guard decodeAll(into: &times, &values) else { return nil }
        var appender = XORAppender()
        for index in times.indices { appender.append(times[index], values[index]) }
        return appender.chunk
    }

    /// Whether some sample may lie in `[mint, maxt]` (inclusive).
    @inlinable
    public func overlaps(mint: Int64, maxt: Int64) -> Bool {
        minTime <= maxt && mint <= maxTime
    }
}

/// Iterates a ``CompactChunk`` with the same shape as ``XORIterator``.
///
/// The chunk is decoded on the first ``next()`` into two arrays (one allocation pair per chunk,
/// none per sample): the two sections of the format are independent bit streams, so a whole-chunk
/// decode is the natural unit.
public struct CompactIterator: Sendable {
    let bytes: [UInt8]
    var times: [Int64] = []
    var values: [Double] = []
    var index = -1
    var decoded = false
    /// True when the chunk did not decode (no samples are returned then).
    public private(set) var failed = false

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The current sample's timestamp (ms).
    public var timestamp: Int64 { times[index] }
    /// The current sample's value, bit pattern intact.
    public var value: Double { values[index] }
    /// The current sample.
    public var at: (t: Int64, v: Double) { (times[index], values[index]) }

    /// Advances to the next sample; false at the end or on a damaged chunk.
    public mutating func next() -> Bool {
        if !decoded {
            decoded = true
            if !CompactCodec.decode(bytes, into: &times, &values) {
                failed = true
                times = []
                values = []
            }
        }
        guard index &+ 1 < times.count else {
            index = times.count
            return false
        }
        index &+= 1
        return true
    }

    /// Moves to the first sample at or after `target`; stays put if the current sample already
    /// qualifies. False when no such sample exists.
    public mutating func seek(to target: Int64) -> Bool {
        if index >= 0 && index < times.count && times[index] >= target { return true }
        guard next() else { return false }
        if times[index] >= target { return true }
        // The chunk is decoded now: binary-search the rest (a 480-sample chunk is common).
        var low = index &+ 1
        var high = times.count
        while low < high {
            let mid = (low &+ high) &>> 1
            if times[mid] < target { low = mid &+ 1 } else { high = mid }
        }
        index = low
        return low < times.count
    }
}
