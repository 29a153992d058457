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

    /// Appends the samples of `bytes` to `times` and `values`; false, with nothing appended, when
    /// the bytes are damaged.
    static func decode(_ bytes: [UInt8], into times: inout [Int64], _ values: inout [Double]) -> Bool {
        var reader = CompactBitReader(bytes)
        let count = Int(reader.read(16))
        guard reader.inBounds else { return false }
        guard count > 0 else { return true }
        let startTimes = times.count
        let startValues = values.count
        times.reserveCapacity(startTimes &+ count)
        values.reserveCapacity(startValues &+ count)
        guard decodeSamples(&reader, count, &times, &values), reader.inBounds else {
            times.removeSubrange(startTimes...)
            values.removeSubrange(startValues...)
            return false
        }
        return true
    }

    static func decodeSamples(_ reader: inout CompactBitReader, _ count: Int, _ times: inout [Int64], _ values: inout [Double]) -> Bool {
        guard let first = reader.readUvarint() else { return false }
        let start = Int64(bitPattern: first &>> 1) ^ -Int64(bitPattern: first & 1)
        var base: Int64 = 0
        if count >= 2 {
            guard let interval = reader.readUvarint() else { return false }
            base = Int64(bitPattern: interval)
        }
        guard let mode = ValueMode(rawValue: UInt8(truncatingIfNeeded: reader.read(8))) else { return false }
        var exponent = 0
        var factor: Int64 = 1
        var integer: Int64 = 0
        if mode != .xor {
            exponent = Int(reader.read(8))
            guard exponent < powersOfTen.count, let rawFactor = reader.readUvarint(), let first = reader.readUvarint(),
                  rawFactor >= 1, rawFactor <= UInt64(Int64.max) else { return false }
            factor = Int64(rawFactor)
            integer = Int64(bitPattern: first &>> 1) ^ -Int64(bitPattern: first & 1)
        }
        var timestamp = start
        times.append(timestamp)
        if count >= 2 {
            guard reader.readSequence(count &- 1, { residual in
                timestamp &+= base &+ residual
                times.append(timestamp)
            }) else { return false }
        }
        switch mode {
        case .xor:
            var bits = reader.read(64)
            values.append(Double(bitPattern: bits))
            var leading = 0
            var trailing = 0
            for _ in 1..<count {
                guard reader.inBounds else { return false }
                if reader.read(1) == 1 {
                    if reader.read(1) == 1 {
                        leading = Int(reader.read(5))
                        var significant = Int(reader.read(6))
                        if significant == 0 { significant = 64 }
                        guard leading &+ significant <= 64 else { return false }
                        trailing = 64 &- leading &- significant
                    }
                    bits ^= reader.read(64 &- leading &- trailing) &<< UInt64(trailing)
                }
                values.append(Double(bitPattern: bits))
            }
        case .delta, .deltaOfDelta:
            values.append(scaledValue(integer, exponent))
            var difference: Int64 = 0
            let ofDelta = mode == .deltaOfDelta
            if count >= 2 {
                guard reader.readSequence(count &- 1, { element in
                    difference = ofDelta ? difference &+ element &* factor : element &* factor
                    integer &+= difference
                    values.append(scaledValue(integer, exponent))
                }) else { return false }
            }
        }
        return true
    }
}

/// Reads bits most-significant first from a zero-padded copy of a compact chunk.
struct CompactBitReader {
    let padded: [UInt8]
    let limit: Int
    var bit = 0

    init(_ bytes: [UInt8]) {
        padded = bytes + [UInt8](repeating: 0, count: 16)
        limit = bytes.count &* 8
    }

    var inBounds: Bool { bit <= limit }

    /// Reads `count` (0...64) bits; past the end they read as zeros and ``inBounds`` turns false.
    mutating func read(_ count: Int) -> UInt64 {
        guard count > 0 else { return 0 }
        guard bit <= limit else { return 0 }
        let result: UInt64 = padded.withUnsafeBytes { raw in
            func peek(_ at: Int) -> UInt64 {
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: at &>> 3, as: UInt64.self)) &<< UInt64(at & 7)
            }
            if count <= 57 { return peek(bit) &>> UInt64(64 &- count) }
            let rest = count &- 32
            return (peek(bit) &>> 32) &<< UInt64(rest) | peek(bit &+ 32) &>> UInt64(64 &- rest)
        }
        bit &+= count
        return result
    }

    mutating func readUvarint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for index in 0..<10 {
            let byte = read(8)
            guard inBounds else { return nil }
            if byte < 0x80 {
                if index == 9 && byte > 1 { return nil }
                return result | byte &<< shift
            }
            result |= (byte & 0x7f) &<< shift
            shift &+= 7
        }
        return nil
    }

    /// Reads a sequence of exactly `count` integers, calling `body` with each.
    mutating func readSequence(_ count: Int, _ body: (Int64) -> Void) -> Bool {
        let width = Int(read(7))
        let signed = read(1) == 1
        guard width <= 64 else { return false }
        let escape = width == 64 ? UInt64.max : (UInt64(1) &<< UInt64(width)) &- 1
        var remaining = count
        while remaining > 0 {
            guard inBounds else { return false }
            if read(1) == 0 {
                var zeros = 0
                while read(1) == 0 {
                    zeros &+= 1
                    guard zeros < 17, inBounds else { return false }
                }
                let run = Int((UInt64(1) &<< UInt64(zeros)) | read(zeros))
                guard run <= remaining else { return false }
                for _ in 0..<run { body(0) }
                remaining &-= run
                continue
            }
            var payload = read(width)
            if payload == escape {
                let length = Int(read(7))
                guard length <= 64 else { return false }
                payload = read(length)
            }
            let code = payload &+ 1
            let element = signed
                ? Int64(bitPattern: code &>> 1) ^ -Int64(bitPattern: code & 1)
                : Int64(bitPattern: code)
            body(element)
            remaining &-= 1
        }
        return true
    }
}
