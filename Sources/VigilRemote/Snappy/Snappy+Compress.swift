extension Snappy {
    /// Input is compressed in independent blocks of this size, so match offsets fit two bytes.
    static let blockSize = 1 << 16
    /// The hash table never grows past this many entries (16K × 2 bytes stays in L1).
    static let maxTableBits = 14
    /// Matches are not searched for in the last bytes of a block, so 8-byte loads never overrun.
    static let inputMargin = 16 - 1

    /// The largest output ``compress(_:)`` can produce for `count` input bytes.
    public static func maxCompressedLength(_ count: Int) -> Int {
        32 + count + count / 6
    }

    /// Compresses `input` into one snappy block that any snappy decoder reads.
    ///
    /// Finds 4-byte matches through a hash table of recent positions, as the reference encoder does.
    public static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let capacity = maxCompressedLength(input.count)
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            let out = UnsafeMutableRawPointer(buffer.baseAddress!)
            var d = 0
            var length = UInt64(input.count)
            while length >= 0x80 {
                out.storeBytes(of: UInt8(truncatingIfNeeded: length) | 0x80, toByteOffset: d, as: UInt8.self)
                length >>= 7
                d += 1
            }
            out.storeBytes(of: UInt8(length), toByteOffset: d, as: UInt8.self)
            d += 1
            guard let source = input.baseAddress, input.count > 0 else {
                initialized = d
                return
            }
            let table = UnsafeMutablePointer<UInt16>.allocate(capacity: 1 << maxTableBits)
            defer { table.deallocate() }
            var start = 0
            while start < input.count {
                let count = Swift.min(blockSize, input.count - start)
                if count < inputMargin + 2 {
                    d = emitLiteral(out, d, source + start, count)
                } else {
                    d = compressBlock(source + start, count, out, d, table)
                }
                start += count
            }
            initialized = d
        }
    }

    /// Compresses the bytes of an array; see ``compress(_:)-(UnsafeRawBufferPointer)``.
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { compress($0) }
    }

    @inline(__always)
    static func hash(_ word: UInt32, _ shift: UInt32) -> Int {
        Int((word &* 0x1E35_A7BD) >> shift)
    }

    /// Compresses one block of at most 64 KiB; positions in `table` are relative to `source`.
    static func compressBlock(
        _ source: UnsafeRawPointer, _ count: Int, _ out: UnsafeMutableRawPointer, _ start: Int,
        _ table: UnsafeMutablePointer<UInt16>
    ) -> Int {
        var bits = 8
        while bits < maxTableBits && (1 << bits) < count { bits += 1 }
        table.initialize(repeating: 0, count: 1 << bits)
        let shift = UInt32(32 - bits)
        @inline(__always) func load32(_ at: Int) -> UInt32 { source.loadUnaligned(fromByteOffset: at, as: UInt32.self) }
        @inline(__always) func load64(_ at: Int) -> UInt64 { source.loadUnaligned(fromByteOffset: at, as: UInt64.self) }

        var d = start
        let searchLimit = count - inputMargin
        var pendingLiteral = 0
        var s = 1
        var nextHash = hash(load32(s), shift)
        outer: while true {
            // Scan for a 4-byte match, stepping further the longer nothing matches, so
            // incompressible input is passed over quickly.
            var skip = 32
            var next = s
            var candidate = 0
            repeat {
                s = next
                let step = skip >> 5
                next = s + step
                skip += step
                if next > searchLimit { break outer }
                candidate = Int(table[nextHash])
                table[nextHash] = UInt16(truncatingIfNeeded: s)
                nextHash = hash(load32(next), shift)
            } while load32(s) != load32(candidate)

            d = emitLiteral(out, d, source + pendingLiteral, s - pendingLiteral)

            // Emit copies for as long as the byte after each copy starts another match.
            while true {
                let matchStart = s
                var matched = 4
                s += 4
                while s + 8 <= count {
                    let difference = load64(s) ^ load64(candidate + matched)
                    if difference != 0 {
                        let same = difference.trailingZeroBitCount >> 3
                        s += same
                        matched += same
                        break
                    }
                    s += 8
                    matched += 8
                }
                if s + 8 > count {
                    while s < count && source.load(fromByteOffset: s, as: UInt8.self)
                        == source.load(fromByteOffset: candidate + matched, as: UInt8.self) {
                        s += 1
                        matched += 1
                    }
                }
                d = emitCopy(out, d, offset: matchStart - candidate, length: matched)
                pendingLiteral = s
                if s >= searchLimit { break outer }

                let word = load64(s - 1)
                table[hash(UInt32(truncatingIfNeeded: word), shift)] = UInt16(truncatingIfNeeded: s - 1)
                let current = hash(UInt32(truncatingIfNeeded: word >> 8), shift)
                candidate = Int(table[current])
                table[current] = UInt16(truncatingIfNeeded: s)
                if UInt32(truncatingIfNeeded: word >> 8) != load32(candidate) {
                    s += 1
                    nextHash = hash(UInt32(truncatingIfNeeded: word >> 16), shift)
                    break
                }
            }
        }
        if pendingLiteral < count {
            d = emitLiteral(out, d, source + pendingLiteral, count - pendingLiteral)
        }
        return d
    }

    @inline(__always)
    static func emitLiteral(_ out: UnsafeMutableRawPointer, _ at: Int, _ source: UnsafeRawPointer, _ count: Int) -> Int {
        var d = at
        let n = count - 1
        if n < 60 {
            out.storeBytes(of: UInt8(n << 2), toByteOffset: d, as: UInt8.self)
            d += 1
        } else if n < 256 {
            out.storeBytes(of: 60 << 2, toByteOffset: d, as: UInt8.self)
            out.storeBytes(of: UInt8(n), toByteOffset: d + 1, as: UInt8.self)
            d += 2
        } else {
            out.storeBytes(of: 61 << 2, toByteOffset: d, as: UInt8.self)
            out.storeBytes(of: UInt8(truncatingIfNeeded: n), toByteOffset: d + 1, as: UInt8.self)
            out.storeBytes(of: UInt8(truncatingIfNeeded: n >> 8), toByteOffset: d + 2, as: UInt8.self)
            d += 3
        }
        (out + d).copyMemory(from: source, byteCount: count)
        return d + count
    }

    @inline(__always)
    static func emitCopy(_ out: UnsafeMutableRawPointer, _ at: Int, offset: Int, length: Int) -> Int {
        var d = at
        var remaining = length
        @inline(__always) func copy2(_ count: Int) {
            out.storeBytes(of: UInt8((count - 1) << 2 | 2), toByteOffset: d, as: UInt8.self)
            out.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: d + 1, as: UInt8.self)
            out.storeBytes(of: UInt8(truncatingIfNeeded: offset >> 8), toByteOffset: d + 2, as: UInt8.self)
            d += 3
        }
        // Long matches become 64-byte copies; the split keeps the final piece at least 4 bytes.
        while remaining >= 68 {
            copy2(64)
            remaining -= 64
        }
        if remaining > 64 {
            copy2(60)
            remaining -= 60
        }
        if remaining >= 12 || offset >= 2048 {
            copy2(remaining)
        } else {
            out.storeBytes(of: UInt8((offset >> 8) << 5 | (remaining - 4) << 2 | 1), toByteOffset: d, as: UInt8.self)
            out.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: d + 1, as: UInt8.self)
            d += 2
        }
        return d
    }
}
