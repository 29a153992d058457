/// Snappy block format (not the framed stream format): what remote write and Loki push bodies use.
///
/// A block is a varint of the uncompressed length followed by elements: literals (tag `00`) and
/// back-references with 1-, 2- or 4-byte offsets (tags `01`, `10`, `11`). Stateless and thread-safe.
public enum Snappy {
    /// The uncompressed length a block declares in its header, without decompressing it.
    ///
    /// - Throws: ``SnappyError`` when the header is missing or not a varint that fits 32 bits.
    public static func decodedLength(_ input: UnsafeRawBufferPointer) throws(SnappyError) -> Int {
        try readHeader(input).length
    }

    /// Decompresses one snappy block.
    ///
    /// The output is allocated once, at the length the header declares, and only after that length
    /// is checked against `maxDecodedLength`; every element is bounds-checked against both input and
    /// output, so hostile input can neither crash nor allocate more than the limit.
    /// - Throws: ``SnappyError`` naming the problem and the input byte offset.
    public static func decompress(_ input: UnsafeRawBufferPointer, maxDecodedLength: Int) throws(SnappyError) -> [UInt8] {
        let (length, headerSize) = try readHeader(input)
        if length > maxDecodedLength {
            throw SnappyError(.lengthOverLimit(length: length, limit: maxDecodedLength), at: 0)
        }
        if length == 0 {
            if headerSize != input.count { throw SnappyError(.trailingBytes, at: headerSize) }
            return []
        }
        guard let base = input.baseAddress else { throw SnappyError(.truncated, at: 0) }
        var failure: SnappyError? = nil
        let output = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            do throws(SnappyError) {
                try decodeElements(
                    source: base, sourceStart: headerSize, sourceEnd: input.count,
                    destination: UnsafeMutableRawPointer(buffer.baseAddress!), destinationLength: length)
                initialized = length
            } catch {
                failure = error
                // Zero the bytes so the discarded array is never observed uninitialized.
                buffer.initialize(repeating: 0)
                initialized = length
            }
        }
        if let failure { throw failure }
        return output
    }

    /// Decompresses one snappy block held in an array; see ``decompress(_:maxDecodedLength:)-(UnsafeRawBufferPointer,_)``.
    public static func decompress(_ input: [UInt8], maxDecodedLength: Int) throws(SnappyError) -> [UInt8] {
        do {
            return try input.withUnsafeBytes { bytes in try decompress(bytes, maxDecodedLength: maxDecodedLength) }
        } catch let error as SnappyError {
            throw error
        } catch {
            fatalError("unreachable: \(error)")
        }
    }

    static func readHeader(_ input: UnsafeRawBufferPointer) throws(SnappyError) -> (length: Int, size: Int) {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = 0
        while true {
            guard index < input.count, index < 5 else { throw SnappyError(.badLengthHeader, at: index) }
            let byte = input[index]
            value |= UInt64(byte & 0x7F) << shift
            index += 1
            if byte < 0x80 { break }
            shift += 7
        }
        guard value <= UInt64(UInt32.max) else { throw SnappyError(.badLengthHeader, at: 0) }
        return (Int(value), index)
    }

    @inline(__always)
    static func decodeElements(
        source: UnsafeRawPointer, sourceStart: Int, sourceEnd: Int,
        destination: UnsafeMutableRawPointer, destinationLength: Int
    ) throws(SnappyError) {
        var s = sourceStart
        var d = 0
        while s < sourceEnd {
            if d == destinationLength { throw SnappyError(.trailingBytes, at: s) }
            let elementStart = s
            let tag = source.load(fromByteOffset: s, as: UInt8.self)
            var length: Int
            var offset: Int
            switch tag & 0x03 {
            case 0:
                length = Int(tag >> 2)
                if length < 60 {
                    s &+= 1
                } else {
                    let extra = length - 59
                    guard sourceEnd - s > extra else { throw SnappyError(.truncated, at: elementStart) }
                    var value = 0
                    for index in 0..<extra {
                        value |= Int(source.load(fromByteOffset: s + 1 + index, as: UInt8.self)) << (8 * index)
                    }
                    length = value
                    s &+= 1 + extra
                }
                length &+= 1
                guard length <= sourceEnd - s else { throw SnappyError(.truncated, at: elementStart) }
                guard length <= destinationLength - d else {
                    throw SnappyError(.outputOverflow(declared: destinationLength), at: elementStart)
                }
                (destination + d).copyMemory(from: source + s, byteCount: length)
                d &+= length
                s &+= length
                continue
            case 1:
                guard sourceEnd - s >= 2 else { throw SnappyError(.truncated, at: elementStart) }
                length = 4 &+ Int((tag >> 2) & 0x07)
                offset = Int(tag & 0xE0) << 3 | Int(source.load(fromByteOffset: s + 1, as: UInt8.self))
                s &+= 2
            case 2:
                guard sourceEnd - s >= 3 else { throw SnappyError(.truncated, at: elementStart) }
                length = 1 &+ Int(tag >> 2)
                offset = Int(source.load(fromByteOffset: s + 1, as: UInt8.self))
                    | Int(source.load(fromByteOffset: s + 2, as: UInt8.self)) << 8
                s &+= 3
            default:
                guard sourceEnd - s >= 5 else { throw SnappyError(.truncated, at: elementStart) }
                length = 1 &+ Int(tag >> 2)
                offset = Int(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: s + 1, as: UInt32.self)))
                s &+= 5
            }
            guard offset > 0, offset <= d else {
                throw SnappyError(.offsetBeforeStart(offset: offset, position: d), at: elementStart)
            }
            guard length <= destinationLength - d else {
                throw SnappyError(.outputOverflow(declared: destinationLength), at: elementStart)
            }
            copyBack(destination: destination, position: d, offset: offset, length: length, end: destinationLength)
            d &+= length
        }
        if d != destinationLength {
            throw SnappyError(.outputShort(declared: destinationLength, decoded: d), at: s)
        }
    }

    /// Copies `length` bytes from `offset` bytes back; overlapping copies repeat the pattern.
    @inline(__always)
    static func copyBack(destination: UnsafeMutableRawPointer, position: Int, offset: Int, length: Int, end: Int) {
        var to = destination + position
        var from = UnsafeRawPointer(to - offset)
        if offset >= length {
            to.copyMemory(from: from, byteCount: length)
            return
        }
        var remaining = length
        if offset >= 8 {
            // Each 8-byte word read lies entirely in bytes already written.
            while remaining >= 8 {
                to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
                to += 8
                from += 8
                remaining &-= 8
            }
        } else if remaining >= 16 && end - position >= length {
            // Grow the pattern by doubling until the period reaches 8, then copy words.
            var period = offset
            while period < 8 {
                to.copyMemory(from: from, byteCount: period)
                to += period
                remaining &-= period
                period &*= 2
            }
            from = UnsafeRawPointer(to - period)
            while remaining >= 8 {
                to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
                to += 8
                from += 8
                remaining &-= 8
            }
        }
        while remaining > 0 {
            to.storeBytes(of: from.load(as: UInt8.self), as: UInt8.self)
            to += 1
            from += 1
            remaining &-= 1
        }
    }
}
