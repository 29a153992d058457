/// Decodes an ``XORChunk`` sample by sample without allocating.
///
/// Call ``next()`` until it returns false, reading ``timestamp`` and ``value`` after each true;
/// then ``failed`` tells a clean end from a truncated chunk. To decode everything that is left in
/// one tight loop, use ``forEachRemaining(_:)`` (or ``XORChunk/decodeAll(into:_:)``).
public struct XORIterator: Sendable {
    @usableFromInline let bytes: [UInt8]
    @usableFromInline var decoder: XORDecoder
    /// Samples the header promises.
    public let total: Int
    /// Samples decoded so far.
    @usableFromInline var read: Int
    @usableFromInline var storedFailed: Bool
    /// True once the bit stream ended before ``total`` samples.
    @inlinable public var failed: Bool { storedFailed }

    /// An iterator over encoded chunk bytes (header included).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.count >= 2 {
            total = Int(bytes[0]) &<< 8 | Int(bytes[1])
            storedFailed = false
        } else {
            total = 0
            storedFailed = true
        }
        decoder = bytes.withUnsafeBytes { XORDecoder(bytes: $0) }
        read = 0
    }

    /// The current sample's timestamp (ms).
    @inlinable
    public var timestamp: Int64 { decoder.timestamp }

    /// The current sample's value, bit pattern intact (stale markers survive).
    @inlinable
    public var value: Double { Double(bitPattern: decoder.valueBits) }

    /// The current sample.
    @inlinable
    public var at: (t: Int64, v: Double) { (decoder.timestamp, Double(bitPattern: decoder.valueBits)) }

    /// The current value's bits.
    @inlinable
    var valueBits: UInt64 { decoder.valueBits }

    /// Advances to the next sample; false at the end or on a damaged chunk.
    @inlinable @inline(__always)
    public mutating func next() -> Bool {
        guard _fastPath(read >= 2 && read < total) else { return nextHeaderSample() }
        var state = decoder
        let ok = bytes.withUnsafeBytes { state.step($0.baseAddress.unsafelyUnwrapped) }
        decoder = state
        guard _fastPath(ok) else { return fail() }
        read &+= 1
        return true
    }

    /// Samples 0 and 1, whose fields start on byte boundaries.
    @usableFromInline
    mutating func nextHeaderSample() -> Bool {
        guard read < 2 && read < total else { return false }
        var state = decoder
        let isFirst = read == 0
        let ok = bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress.unsafelyUnwrapped
            return isFirst ? state.first(base) : state.second(base)
        }
        decoder = state
        guard ok else { return fail() }
        read &+= 1
        return true
    }

    @usableFromInline
    mutating func fail() -> Bool {
        storedFailed = true
        read = total
        return false
    }

    /// Decodes every remaining sample in one loop, calling `body` with each timestamp (ms) and
    /// value; returns false if the chunk turned out damaged (the samples before the damage were
    /// delivered). Afterwards the iterator is at the end, as if ``next()`` had returned false.
    @inlinable @inline(__always)
    public mutating func forEachRemaining(_ body: (_ timestamp: Int64, _ value: Double) -> Void) -> Bool {
        while read < 2 {
            guard next() else { return !storedFailed }
            body(decoder.timestamp, Double(bitPattern: decoder.valueBits))
        }
        let total = total
        let start = read
        guard start < total else { return true }
        // The whole scan runs on locals: the state is copied in and out once.
        let initial = decoder
        let (final, done) = bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress.unsafelyUnwrapped
            var state = initial
            var done = start
            while done < total {
                guard state.step(base) else { break }
                done &+= 1
                body(state.timestamp, Double(bitPattern: state.valueBits))
            }
            return (state, done)
        }
        decoder = final
        if done < total { return fail() }
        read = done
        return true
    }

    /// Whether the chunk averages more than 6 bits per sample: its values change at most
    /// samples, so a step's length varies at random and branch-free steps pay off.
    @inlinable
    var isDense: Bool { bytes.count &* 8 > total &* 6 }

    /// Decodes up to `capacity` remaining samples into `timestamps` and `values` (both with room
    /// for `capacity`); returns how many were written. Check ``failed`` afterwards: the samples
    /// written before damage are valid. A loop with no closure, so nothing escapes to memory.
    @inlinable
    public mutating func decode(
        into timestamps: UnsafeMutablePointer<Int64>, _ values: UnsafeMutablePointer<Double>, capacity: Int
    ) -> Int {
        var written = 0
        while read < 2 && written < capacity {
            guard next() else { return written }
            timestamps[written] = decoder.timestamp
            values[written] = Double(bitPattern: decoder.valueBits)
            written &+= 1
        }
        let start = read
        let end = Swift.min(total, start &+ capacity &- written)
        guard start < end else { return written }
        let initial = decoder
        let offset = written &- start
        let (final, done) = bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress.unsafelyUnwrapped
            var state = initial
            var done = start
            // Far from the end no read can leave the chunk: a loop without those checks first.
            let inBoundsLimit = state.inBoundsLimitBits
            var intact = true
            while done < end && state.bit <= inBoundsLimit {
                guard state.step(base, inBounds: true) else {
                    intact = false
                    break
                }
                timestamps[done &+ offset] = state.timestamp
                values[done &+ offset] = Double(bitPattern: state.valueBits)
                done &+= 1
            }
            while intact && done < end {
                guard state.step(base) else { break }
                timestamps[done &+ offset] = state.timestamp
                values[done &+ offset] = Double(bitPattern: state.valueBits)
                done &+= 1
            }
            return (state, done)
        }
        decoder = final
        if done < end { _ = fail() } else { read = done }
        return done &+ offset
    }

    /// ``decode(into:_:capacity:)`` into arrays, writing from their start; `capacity` is
    /// clamped to the shorter array.
    @inlinable
    public mutating func decode(into timestamps: inout [Int64], _ values: inout [Double], capacity: Int) -> Int {
        let room = Swift.min(capacity, timestamps.count, values.count)
        guard room > 0 else { return 0 }
        return timestamps.withUnsafeMutableBufferPointer { times in
            values.withUnsafeMutableBufferPointer { vals in
                decode(into: times.baseAddress.unsafelyUnwrapped, vals.baseAddress.unsafelyUnwrapped, capacity: room)
            }
        }
    }

    /// Moves to the first sample at or after `target`; stays put if the current sample already
    /// qualifies. False when no such sample exists.
    @inlinable
    public mutating func seek(to target: Int64) -> Bool {
        if read > 0 && decoder.timestamp >= target && !storedFailed { return true }
        while read < 2 {
            guard next() else { return false }
            if decoder.timestamp >= target { return true }
        }
        guard read < total else { return false }
        let total = total
        let start = read
        let initial = decoder
        let (state, done, found) = bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress.unsafelyUnwrapped
            var state = initial
            var done = start
            while done < total {
                guard state.step(base) else { break }
                done &+= 1
                if state.timestamp >= target { return (state, done, true) }
            }
            return (state, done, false)
        }
        decoder = state
        if !found && done < total { return fail() }
        read = done
        return found
    }
}
