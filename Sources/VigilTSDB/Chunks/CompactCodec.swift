/// Encoder and decoder of ``CompactChunk`` bytes (chunk encoding 2; `docs/formats/chunks.md`).
enum CompactCodec {
    /// Value sections, chosen per chunk: whichever encodes smallest.
    enum ValueMode: UInt8 {
        /// Prometheus's XOR value scheme (any float, NaN payloads included).
        case xor = 0
        /// Decimal-scaled integers, successive differences divided by their common factor.
        case delta = 1
        /// Decimal-scaled integers, differences of differences divided by the common factor.
        case deltaOfDelta = 2
    }

    /// `10^k` for the decimal exponents the encoder tries.
    static let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    // MARK: Encoding

    /// Encodes samples in strictly increasing timestamp order (at most 65,535).
    static func encode(_ times: [Int64], _ values: [Double]) -> [UInt8] {
        precondition(times.count == values.count && times.count <= 0xffff)
        var best = encode(times, values, mode: .xor, scaled: nil)
        if let scaled = decimalScaled(values) {
            for mode in [ValueMode.delta, .deltaOfDelta] {
                let candidate = encode(times, values, mode: mode, scaled: scaled)
                if candidate.count < best.count { best = candidate }
            }
        }
        return best
    }

    static func encode(_ times: [Int64], _ values: [Double], mode: ValueMode, scaled: (exponent: Int, integers: [Int64])?) -> [UInt8] {
        let count = times.count
        var writer = BitWriter(reservingCapacity: 64)
        writer.writeBits(UInt64(count), 16)
        guard count > 0 else { return writer.bytes }
        writer.writeVarint(times[0])
        var residuals: [Int64] = []
        if count >= 2 {
            var intervals: [Int64] = []
            intervals.reserveCapacity(count &- 1)
            for index in 1..<count { intervals.append(times[index] &- times[index &- 1]) }
            let base = mostCommon(intervals)
            writer.writeUvarint(UInt64(bitPattern: base))
            residuals = intervals.map { $0 &- base }
        }
        writer.writeByte(mode.rawValue)
        var sequence: [Int64] = []
        if let scaled, mode != .xor {
            let integers = scaled.integers
            var differences: [Int64] = []
            for index in 1..<Swift.max(count, 1) { differences.append(integers[index] &- integers[index &- 1]) }
            var factor: Int64 = 0
            for difference in differences { factor = gcd(factor, difference) }
            if factor == 0 { factor = 1 }
            writer.writeByte(UInt8(scaled.exponent))
            writer.writeUvarint(UInt64(factor))
            writer.writeVarint(integers[0])
            let units = differences.map { $0 / factor }
            if mode == .delta {
                sequence = units
            } else {
                sequence = units.indices.map { $0 == 0 ? units[0] : units[$0] &- units[$0 &- 1] }
            }
        }
        if count >= 2 { writeSequence(residuals, to: &writer) }
        if mode == .xor {
            var previous = values[0].bitPattern
            writer.writeBits(previous, 64)
            var leading: UInt8 = 0xff
            var trailing: UInt8 = 0
            for index in 1..<count {
                let bits = values[index].bitPattern
                writeXOR(bits ^ previous, leading: &leading, trailing: &trailing, to: &writer)
                previous = bits
            }
        } else if count >= 2 {
            writeSequence(sequence, to: &writer)
        }
        return writer.bytes
    }

    /// The interval most samples share (the smallest on ties); the base residuals are taken from.
    static func mostCommon(_ intervals: [Int64]) -> Int64 {
        var counts: [Int64: Int] = [:]
        for interval in intervals { counts[interval, default: 0] += 1 }
        return counts.max { ($0.value, 0 &- $0.key) < ($1.value, 0 &- $1.key) }!.key
    }

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var x = a.magnitude
        var y = b.magnitude
        while y != 0 { (x, y) = (y, x % y) }
        // Only 2^63 itself does not fit; a factor of 1 is always valid.
        return x > UInt64(Int64.max) ? 1 : Int64(x)
    }

    /// The smallest `k ≤ 9` for which every value is `n / 10^k` for an integer `|n| < 2^53`, with
    /// that division giving back the value bit for bit; nil when there is none.
    static func decimalScaled(_ values: [Double]) -> (exponent: Int, integers: [Int64])? {
        exponents: for exponent in powersOfTen.indices {
            let scale = powersOfTen[exponent]
            var integers: [Int64] = []
            integers.reserveCapacity(values.count)
            for value in values {
                guard value.isFinite, value != 0 || value.sign == .plus else { return nil }
                let scaled = (value * scale).rounded()
                guard scaled.magnitude < 9_007_199_254_740_992 else { continue exponents }
                let integer = Int64(scaled)
                guard scaledValue(integer, exponent).bitPattern == value.bitPattern else { continue exponents }
                integers.append(integer)
            }
            return (exponent, integers)
        }
        return nil
    }

    /// The decoder's formula; the encoder checks it reproduces every value.
    @inline(__always)
    static func scaledValue(_ integer: Int64, _ exponent: Int) -> Double {
        exponent == 0 ? Double(integer) : Double(integer) / powersOfTen[exponent]
    }

    /// A sequence of integers: a 7-bit width `w` and a signed flag, then tokens — `0` + Exp-Golomb
    /// (order 0) of a zero run's length minus one, or `1` + `w` bits of the non-zero element's
    /// code minus one (all ones escapes to 7 bits of length and that many bits).
    static func writeSequence(_ elements: [Int64], to writer: inout BitWriter) {
        let signed = elements.contains { $0 < 0 }
        let codes = elements.map { code($0, signed: signed) }
        let bestWidth = cheapestWidth(codes)
        writer.writeBits(UInt64(bestWidth), 7)
        writer.writeBit(signed)
        var index = 0
        while index < codes.count {
            if codes[index] == 0 {
                var run = 1
                while index &+ run < codes.count && codes[index &+ run] == 0 { run &+= 1 }
                writer.writeBit(false)
                writeExpGolomb(UInt64(run &- 1), to: &writer)
                index &+= run
                continue
            }
            writer.writeBit(true)
            let payload = codes[index] &- 1
            let escape = bestWidth == 64 ? UInt64.max : (UInt64(1) &<< UInt64(bestWidth)) &- 1
            if payload < escape {
                writer.writeBits(payload, bestWidth)
            } else {
                writer.writeBits(escape, bestWidth)
                let length = 64 &- payload.leadingZeroBitCount
                writer.writeBits(UInt64(length), 7)
                writer.writeBits(payload, length)
            }
            index &+= 1
        }
    }

    /// The width `w` (0…64) that codes the non-zero `codes` in the fewest bits, the smallest on
    /// ties. A histogram of payload lengths makes this O(n + 65) instead of O(65 n): a payload of
    /// `L` bits costs `1 + w` when `L ≤ w` (plus `7 + w` when it is the escape `2^w − 1`), else
    /// `8 + w + L`.
    static func cheapestWidth(_ codes: [UInt64]) -> Int {
        var lengths = [Int](repeating: 0, count: 65)
        var allOnes = [Int](repeating: 0, count: 65)
        for code in codes where code != 0 {
            let payload = code &- 1
            let length = 64 &- payload.leadingZeroBitCount
            lengths[length] &+= 1
            if payload == (length == 64 ? UInt64.max : (UInt64(1) &<< UInt64(length)) &- 1) { allOnes[length] &+= 1 }
        }
        var above = 0
        var aboveBits = 0
        for length in 1...64 {
            above &+= lengths[length]
            aboveBits &+= lengths[length] &* length
        }
        var within = lengths[0]
        var bestWidth = 0
        var bestCost = Int.max
        for width in 0...64 {
            if width > 0 {
                within &+= lengths[width]
                above &-= lengths[width]
                aboveBits &-= lengths[width] &* width
            }
            let cost = (1 &+ width) &* within &+ (8 &+ width) &* above &+ aboveBits &+ (7 &+ width) &* allOnes[width]
            if cost < bestCost {
                bestCost = cost
                bestWidth = width
            }
        }
        return bestWidth
    }

    /// Non-zero elements map to codes ≥ 1: zig-zag when some element is negative, else as is.
    @inline(__always)
    static func code(_ element: Int64, signed: Bool) -> UInt64 {
        signed ? UInt64(bitPattern: element &<< 1) ^ UInt64(bitPattern: element &>> 63) : UInt64(bitPattern: element)
    }

    /// The inverse of ``code(_:signed:)`` (and of a varint's zig-zag, with `signed`).
    @inline(__always)
    static func element(_ code: UInt64, signed: Bool) -> Int64 {
        signed ? Int64(bitPattern: code &>> 1) ^ -Int64(bitPattern: code & 1) : Int64(bitPattern: code)
    }

    /// A zero run's length from the stream bits `word` that start with its `0`, given the `zeros`
    /// that follow it (≤ 16): the length is the `zeros + 1` bits after them.
    @inline(__always)
    static func runLength(_ word: UInt64, zeros: Int) -> Int {
        Int(truncatingIfNeeded: (word &<< UInt64(truncatingIfNeeded: 1 &+ zeros)) &>> UInt64(truncatingIfNeeded: 63 &- zeros))
    }

    static func tokenCost(_ payload: UInt64, width: Int) -> Int {
        let escape = width == 64 ? UInt64.max : (UInt64(1) &<< UInt64(width)) &- 1
        return payload < escape ? 1 &+ width : 1 &+ width &+ 7 &+ (64 &- payload.leadingZeroBitCount)
    }

    static func writeExpGolomb(_ value: UInt64, to writer: inout BitWriter) {
        // value + 1 in binary, preceded by one zero per bit after its first; value < 2^16 here.
        let shifted = value &+ 1
        let length = 64 &- shifted.leadingZeroBitCount
        writer.writeBits(0, length &- 1)
        writer.writeBits(shifted, length)
    }

    /// Prometheus's XOR value field for a value whose bits XOR the previous ones to `delta`.
    static func writeXOR(_ delta: UInt64, leading: inout UInt8, trailing: inout UInt8, to writer: inout BitWriter) {
        if delta == 0 {
            writer.writeBit(false)
            return
        }
        writer.writeBit(true)
        let newLeading = Swift.min(UInt8(delta.leadingZeroBitCount), 31)
        let newTrailing = UInt8(delta.trailingZeroBitCount)
        if leading != 0xff && newLeading >= leading && newTrailing >= trailing {
            writer.writeBit(false)
            writer.writeBits(delta &>> UInt64(trailing), 64 &- Int(leading) &- Int(trailing))
            return
        }
        leading = newLeading
        trailing = newTrailing
        writer.writeBit(true)
        writer.writeBits(UInt64(newLeading), 5)
        let significant = 64 &- Int(newLeading) &- Int(newTrailing)
        writer.writeBits(UInt64(significant & 0x3f), 6)
        writer.writeBits(delta &>> UInt64(newTrailing), significant)
    }

    // MARK: Decoding
    //
    // The decoder reads through an ``XORDecoder``: its peek (one unaligned 64-bit load, the bytes
    // past the end reading as zeros) and position serve as the bit reader, and XOR-mode values
    // use its value step unchanged. Each section is decoded in one loop straight into the
    // caller's arrays: each sequence goes through a sink that turns its elements into samples.

    /// Appends the samples of `bytes` to `times` and `values`; false, with nothing appended, when
    /// the bytes are damaged.
    static func decode(_ bytes: [UInt8], into times: inout [Int64], _ values: inout [Double]) -> Bool {
        guard bytes.count >= 2 else { return false }
        let count = Int(bytes[0]) &<< 8 | Int(bytes[1])
        guard count > 0 else { return true }
        let startTimes = times.count
        let startValues = values.count
        times.append(contentsOf: repeatElement(0, count: count))
        values.append(contentsOf: repeatElement(0, count: count))
        let intact = bytes.withUnsafeBytes { raw in
            times.withUnsafeMutableBufferPointer { timeBuffer in
                values.withUnsafeMutableBufferPointer { valueBuffer in
                    decodeSamples(
                        raw, count, timeBuffer.baseAddress.unsafelyUnwrapped + startTimes,
                        valueBuffer.baseAddress.unsafelyUnwrapped + startValues)
                }
            }
        }
        guard intact else {
            times.removeSubrange(startTimes...)
            values.removeSubrange(startValues...)
            return false
        }
        return true
    }

    /// Decodes the `count` (≥ 1) samples of a chunk into `times` and `values` (room for `count`
    /// each); false when the bytes are damaged (the buffers then hold garbage).
    static func decodeSamples(
        _ raw: UnsafeRawBufferPointer, _ count: Int, _ times: UnsafeMutablePointer<Int64>, _ values: UnsafeMutablePointer<Double>
    ) -> Bool {
        let base = raw.baseAddress.unsafelyUnwrapped
        var reader = XORDecoder(bytes: raw)
        guard let first = reader.readUvarint(base) else { return false }
        let start = element(first, signed: true)
        var interval: Int64 = 0
        if count >= 2 {
            guard let common = reader.readUvarint(base) else { return false }
            interval = Int64(bitPattern: common)
        }
        guard let mode = ValueMode(rawValue: UInt8(truncatingIfNeeded: reader.read(base, 8))) else { return false }
        var exponent = 0
        var factor: Int64 = 1
        var integer: Int64 = 0
        if mode != .xor {
            exponent = Int(reader.read(base, 8))
            guard exponent < powersOfTen.count, let rawFactor = reader.readUvarint(base), let first = reader.readUvarint(base),
                  rawFactor >= 1, rawFactor <= UInt64(Int64.max) else { return false }
            factor = Int64(rawFactor)
            integer = element(first, signed: true)
        }
        times[0] = start
        if count >= 2 {
            var sink = TimestampSink(timestamp: start, interval: interval)
            guard decodeSequence(&reader, base, count &- 1, into: times + 1, &sink) else { return false }
        }
        switch mode {
        case .xor:
            return decodeXORValues(&reader, base, count, into: values)
        case .delta, .deltaOfDelta:
            let ofDelta = mode == .deltaOfDelta
            // `scaledValue`'s formula, its branch on the exponent taken once: a division only
            // for decimals.
            let intact =
                exponent == 0
                ? decodeIntegerValues(
                    &reader, base, count, into: values,
                    IntegerValueSink(integer: integer, factor: factor, ofDelta: ofDelta, scale: WholeNumbers()))
                : decodeIntegerValues(
                    &reader, base, count, into: values,
                    IntegerValueSink(integer: integer, factor: factor, ofDelta: ofDelta, scale: Decimals(divisor: powersOfTen[exponent])))
            return intact && reader.inBounds
        }
    }

    /// Decodes the values of modes 1 and 2: the first integer's value, then the sequence.
    @inline(__always)
    static func decodeIntegerValues<Scale: IntegerScale>(
        _ reader: inout XORDecoder, _ base: UnsafeRawPointer, _ count: Int, into values: UnsafeMutablePointer<Double>,
        _ sink: IntegerValueSink<Scale>
    ) -> Bool {
        var sink = sink
        values[0] = sink.value
        return count < 2 || decodeSequence(&reader, base, count &- 1, into: values + 1, &sink)
    }

    /// Decodes mode 0's values: 64 raw bits, then Prometheus's XOR value field per sample, runs
    /// of unchanged values (`0` bits) taken a peek at a time.
    @inline(__always)
    static func decodeXORValues(
        _ reader: inout XORDecoder, _ base: UnsafeRawPointer, _ count: Int, into values: UnsafeMutablePointer<Double>
    ) -> Bool {
        reader.valueBits = reader.read(base, 64)
        values[0] = Double(bitPattern: reader.valueBits)
        var index = 1
        while index < count {
            guard reader.inBounds else { return false }
            let word = reader.peek(base, reader.bit)
            if word &>> 63 == 0 {
                // Only the first 57 bits of a peek are sure to be stream bits.
                let run = Swift.min(Swift.min(word.leadingZeroBitCount, 57), count &- index)
                (values + index).update(repeating: Double(bitPattern: reader.valueBits), count: run)
                reader.bit &+= run
                index &+= run
                continue
            }
            guard reader.stepValue(base, header: word, at: reader.bit) else { return false }
            values[index] = Double(bitPattern: reader.valueBits)
            index &+= 1
        }
        return reader.inBounds
    }

    /// The branch-free token loop of ``decodeSequence(_:_:_:into:_:)`` (widths 1…56), on locals
    /// so its state stays in registers. Stops before an escape or a bad run, and when fewer than
    /// four outputs are left; returns the new bit position and output count.
    @inline(__always)
    static func decodeTokens<Sink: SequenceSink>(
        _ base: UnsafeRawPointer, _ reader: XORDecoder, from start: Int, written initial: Int, count: Int, width: Int,
        signed: Bool, escape: UInt64, into output: UnsafeMutablePointer<Sink.Output>, _ sink: inout Sink
    ) -> (bit: Int, written: Int) {
        var bit = start
        var written = initial
        let last = count &- 4
        let payloadShift = UInt64(truncatingIfNeeded: 64 &- width)
        let elementBits = 1 &+ width
        let inBoundsLimit = reader.inBoundsLimitBits
        guard bit <= inBoundsLimit else { return (bit, written) }
        @inline(__always) func load(_ at: Int) -> UInt64 {
            XORDecoder.peek(base, at, byteCount: 0, tailStart: 0, tailWord: 0, inBounds: true)
        }
        // `high` holds the 64 stream bits from `bit`. A token's length comes from `high` alone and
        // the next `high` is `high` shifted, topped up from a load issued a token earlier, so the
        // loop's critical path has no load on it.
        var high = (load(bit) &>> 32) &<< 32 | load(bit &+ 32) &>> 32
        while written <= last && bit <= inBoundsLimit {
            let next = load(bit &+ 64)
            let isRun = high &>> 63 == 0
            let zeros = Swift.min((high &<< 1).leadingZeroBitCount, 17)
            let run = runLength(high, zeros: zeros)
            let payload = (high &<< 1) &>> payloadShift
            let decoded = element(payload &+ 1, signed: signed)
            let special = isRun ? zeros >= 17 || run > count &- written : payload == escape
            if _slowPath(special) { break }
            let length = isRun ? run : 1
            sink.token(isRun ? 0 : decoded, length: length, at: output + written)
            written &+= length
            let used = isRun ? 2 &* zeros &+ 2 : elementBits
            bit &+= used
            // 1 ≤ used ≤ 57: both shifts are in range.
            high = high &<< UInt64(truncatingIfNeeded: used) | next &>> UInt64(truncatingIfNeeded: 64 &- used)
        }
        return (bit, written)
    }

    /// Decodes a sequence of exactly `count` integers through `sink`, which turns them into
    /// `count` outputs; false when it is damaged. See ``writeSequence(_:to:)`` for the tokens.
    @inline(__always)
    static func decodeSequence<Sink: SequenceSink>(
        _ reader: inout XORDecoder, _ base: UnsafeRawPointer, _ count: Int, into output: UnsafeMutablePointer<Sink.Output>,
        _ sinkOut: inout Sink
    ) -> Bool {
        // On a local copy the sink's state stays in registers.
        var sink = sinkOut
        defer { sinkOut = sink }
        let header = reader.read(base, 8)
        let width = Int(truncatingIfNeeded: header &>> 1)
        let signed = header & 1 == 1
        guard width <= 64 else { return false }
        let escape = width == 64 ? UInt64.max : (UInt64(1) &<< UInt64(width)) &- 1
        var written = 0
        let fastWidth = width >= 1 && width <= 56
        while written < count {
            // Random data mixes runs and elements unpredictably: while four outputs fit, each
            // token is decoded without branching on its kind, both readings computed and one
            // chosen. Escapes, bad runs and the last outputs leave for the token-by-token path.
            if fastWidth && count &- written >= 4 {
                (reader.bit, written) = decodeTokens(
                    base, reader, from: reader.bit, written: written, count: count, width: width, signed: signed,
                    escape: escape, into: output, &sink)
            }
            guard written < count else { break }
            guard reader.inBounds else { return false }
            let word = reader.peek(base, reader.bit)
            if word &>> 63 == 0 {
                // `0`, then `z` zeros and the run length in `z + 1` bits (z ≤ 16: at most 35 bits).
                let zeros = (word &<< 1).leadingZeroBitCount
                guard zeros < 17 else { return false }
                let run = runLength(word, zeros: zeros)
                guard run <= count &- written else { return false }
                sink.zeros(run, at: output + written)
                written &+= run
                reader.bit &+= 2 &* zeros &+ 2
                continue
            }
            var payload: UInt64
            if width == 0 {
                payload = 0
                reader.bit &+= 1
            } else if width <= 56 {
                payload = (word &<< 1) &>> UInt64(truncatingIfNeeded: 64 &- width)
                reader.bit &+= 1 &+ width
            } else {
                reader.bit &+= 1
                payload = reader.read(base, width)
            }
            if payload == escape {
                let length = Int(reader.read(base, 7))
                guard length <= 64 else { return false }
                payload = length == 0 ? 0 : reader.read(base, length)
            }
            sink.element(element(payload &+ 1, signed: signed), at: output + written)
            written &+= 1
        }
        return reader.inBounds
    }
}

/// What a decoded sequence becomes: the sink sees each zero run and each non-zero element in
/// order and writes one output per element, so the samples come out of the one decoding pass.
protocol SequenceSink {
    associatedtype Output
    /// `count` zero elements, written from `output`.
    mutating func zeros(_ count: Int, at output: UnsafeMutablePointer<Output>)
    /// One non-zero element, written at `output`.
    mutating func element(_ element: Int64, at output: UnsafeMutablePointer<Output>)
    /// `element` (zero or not) followed by `length - 1` zeros, written from `output`, which has
    /// room for at least four: up to four are written without a branch on `length`, the
    /// outputs past `length` being overwritten by the next token.
    mutating func token(_ element: Int64, length: Int, at output: UnsafeMutablePointer<Output>)
}

/// Timestamps from their sequence: each element is an interval's difference from the common one.
struct TimestampSink: SequenceSink {
    var timestamp: Int64
    let interval: Int64

    @inline(__always)
    mutating func zeros(_ count: Int, at output: UnsafeMutablePointer<Int64>) {
        let first = timestamp
        for index in 0..<count { output[index] = first &+ interval &* Int64(index &+ 1) }
        timestamp = first &+ interval &* Int64(count)
    }

    @inline(__always)
    mutating func element(_ element: Int64, at output: UnsafeMutablePointer<Int64>) {
        timestamp &+= interval &+ element
        output.pointee = timestamp
    }

    @inline(__always)
    mutating func token(_ element: Int64, length: Int, at output: UnsafeMutablePointer<Int64>) {
        let first = timestamp &+ interval &+ element
        output[0] = first
        output[1] = first &+ interval
        output[2] = first &+ interval &* 2
        output[3] = first &+ interval &* 3
        if _slowPath(length > 4) {
            for index in 4..<length { output[index] = first &+ interval &* Int64(index) }
        }
        timestamp = first &+ interval &* Int64(length &- 1)
    }
}

/// How a decimal-scaled integer becomes its value: `scaledValue`'s formula for one exponent.
protocol IntegerScale {
    func value(_ integer: Int64) -> Double
}

/// Exponent 0: the integer is the value.
struct WholeNumbers: IntegerScale {
    @inline(__always) func value(_ integer: Int64) -> Double { Double(integer) }
}

/// Exponents 1…9: the integer divided by `10^k` (an IEEE division, exactly as encoded).
struct Decimals: IntegerScale {
    let divisor: Double
    @inline(__always) func value(_ integer: Int64) -> Double { Double(integer) / divisor }
}

/// Values of modes 1 and 2 from their sequence: unit differences (or differences of
/// differences) of decimal-scaled integers.
struct IntegerValueSink<Scale: IntegerScale>: SequenceSink {
    var integer: Int64
    var difference: Int64 = 0
    let factor: Int64
    let ofDelta: Bool
    let scale: Scale

    init(integer: Int64, factor: Int64, ofDelta: Bool, scale: Scale) {
        self.integer = integer
        self.factor = factor
        self.ofDelta = ofDelta
        self.scale = scale
    }

    /// The current integer's value.
    @inline(__always)
    var value: Double { scale.value(integer) }

    @inline(__always)
    mutating func zeros(_ count: Int, at output: UnsafeMutablePointer<Double>) {
        guard ofDelta && difference != 0 else {
            // Deltas of zero (or differences of a zero difference): the value repeats.
            output.update(repeating: value, count: count)
            return
        }
        for index in 0..<count {
            integer &+= difference
            output[index] = value
        }
    }

    @inline(__always)
    mutating func token(_ element: Int64, length: Int, at output: UnsafeMutablePointer<Double>) {
        guard !ofDelta else {
            // Differences of differences change the value at every output: no shortcut.
            self.element(element, at: output)
            zeros(length &- 1, at: output + 1)
            return
        }
        integer &+= element &* factor
        let current = value
        output[0] = current
        output[1] = current
        output[2] = current
        output[3] = current
        if _slowPath(length > 4) { (output + 4).update(repeating: current, count: length &- 4) }
    }

    @inline(__always)
    mutating func element(_ element: Int64, at output: UnsafeMutablePointer<Double>) {
        if ofDelta {
            difference &+= element &* factor
            integer &+= difference
        } else {
            integer &+= element &* factor
        }
        output.pointee = value
    }
}
