/// One chunk of float samples in Prometheus's XOR ("Gorilla") encoding, byte-for-byte as
/// Prometheus writes it (`chunkenc/xor.go`), so it can be sent as a remote-read `XOR` chunk or
/// written to a block unchanged.
///
/// Layout (see `docs/formats/chunks.md`): a 2-byte big-endian sample count, the first timestamp as
/// a varint, the first value as 64 raw bits, the second timestamp's delta as a uvarint, then
/// delta-of-delta timestamps and XOR'd values bit-packed. Samples are in strictly increasing
/// timestamp order. A value type: copies share storage.
public struct XORChunk: Sendable, Equatable {
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
    /// Throws `.corruption` when the header is missing or the bit stream ends before the count
    /// of samples the header promises.
    public init(bytes: [UInt8]) throws(TSDBError) {
        guard bytes.count >= 2 else { throw TSDBError(.corruption, "XOR chunk shorter than its 2-byte header") }
        var iterator = XORIterator(bytes: bytes)
        var first = Int64.max
        var last = Int64.min
        if iterator.next() {
            first = iterator.timestamp
            last = first
            _ = iterator.forEachRemaining { timestamp, _ in last = timestamp }
        }
        if iterator.failed {
            throw TSDBError(.corruption, "XOR chunk of \(bytes.count) bytes ends before its \(iterator.total) samples")
        }
        self.init(bytes: bytes, minTime: first, maxTime: last)
    }

    /// An empty chunk.
    public static let empty = XORChunk(bytes: [0, 0], minTime: .max, maxTime: .min)

    /// The number of samples, from the header.
    @inlinable
    public var count: Int { Int(bytes[0]) &<< 8 | Int(bytes[1]) }

    /// An iterator positioned before the first sample.
    @inlinable
    public func makeIterator() -> XORIterator { XORIterator(bytes: bytes) }

    /// Calls `body` with every sample's timestamp (ms) and value in order, decoding in one tight
    /// loop; returns false if the chunk is damaged (the samples before the damage were delivered).
    @inlinable
    @discardableResult
    public func forEachSample(_ body: (_ timestamp: Int64, _ value: Double) -> Void) -> Bool {
        var iterator = makeIterator()
        return iterator.forEachRemaining(body)
    }

    /// Appends every sample to `timestamps` (ms) and `values`, which stay the same length;
    /// returns false if the chunk is damaged (the samples before the damage were appended).
    @inlinable
    @discardableResult
    public func decodeAll(into timestamps: inout [Int64], _ values: inout [Double]) -> Bool {
        let start = timestamps.count
        let promised = count
        guard promised > 0 else { return bytes.count >= 2 }
        timestamps.append(contentsOf: repeatElement(0, count: promised))
        values.append(contentsOf: repeatElement(0, count: promised))
        var iterator = makeIterator()
        let written = timestamps.withUnsafeMutableBufferPointer { times in
            values.withUnsafeMutableBufferPointer { vals in
                iterator.decode(
                    into: times.baseAddress.unsafelyUnwrapped + start, vals.baseAddress.unsafelyUnwrapped + start,
                    capacity: promised
                )
            }
        }
        if written < promised {
            timestamps.removeLast(promised &- written)
            values.removeLast(promised &- written)
        }
        return !iterator.failed
    }

    /// Encodes samples given in strictly increasing timestamp order (at most 65,535).
    public init(samples: some Sequence<(timestamp: Int64, value: Double)>) {
        var appender = XORAppender()
        for sample in samples { appender.append(sample.timestamp, sample.value) }
        self = appender.chunk
    }

    /// Whether some sample may lie in `[mint, maxt]` (inclusive).
    @inlinable
    public func overlaps(mint: Int64, maxt: Int64) -> Bool {
        minTime <= maxt && mint <= maxTime
    }
}
