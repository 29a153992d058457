import VigilModel
/// Appends the integer encodings block files use: big-endian fixed widths and Go-style varints.
struct BlockByteWriter {
    var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func putU8(_ value: UInt8) { bytes.append(value) }

    mutating func putU32(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func putU64(_ value: UInt64) {
        putU32(UInt32(truncatingIfNeeded: value >> 32))
        putU32(UInt32(truncatingIfNeeded: value))
    }

    mutating func putUvarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func putVarint(_ value: Int64) {
        putUvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func putString(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            putUvarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Appends the CRC-32C of `bytes[from...]`, big-endian.
    mutating func putChecksum(from start: Int) {
        let crc = bytes.withUnsafeBytes { CRC32C.update(0, UnsafeRawBufferPointer(rebasing: $0[start...])) }
        putU32(crc)
    }
}

/// Bounds-checked decoding over a read-only region (usually an mmapped file); every failure is a
/// `.corruption` error naming the file and offset.
struct BlockByteReader {
    let base: UnsafeRawBufferPointer
    var offset: Int
    let file: String

    init(_ base: UnsafeRawBufferPointer, offset: Int = 0, file: String) {
        self.base = base
        self.offset = offset
        self.file = file
    }

    var remaining: Int { base.count - offset }

    func corruption(_ what: String, at position: Int? = nil) -> TSDBError {
        TSDBError(.corruption, "\(file): \(what) at offset \(position ?? offset)")
    }

    mutating func u8() throws(TSDBError) -> UInt8 {
        guard offset < base.count else { throw corruption("unexpected end of data") }
        defer { offset &+= 1 }
        return base[offset]
    }

    mutating func u32() throws(TSDBError) -> UInt32 {
        guard offset >= 0, remaining >= 4 else { throw corruption("unexpected end of data") }
        defer { offset &+= 4 }
        return UInt32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func u64() throws(TSDBError) -> UInt64 {
        guard offset >= 0, remaining >= 8 else { throw corruption("unexpected end of data") }
        defer { offset &+= 8 }
        return UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func uvarint() throws(TSDBError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = offset
        while true {
            guard offset < base.count else { throw corruption("truncated varint", at: start) }
            let byte = base[offset]
            offset &+= 1
            if shift == 63 && byte > 1 { throw corruption("varint overflows 64 bits", at: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw corruption("varint overflows 64 bits", at: start) }
        }
    }

    mutating func varint() throws(TSDBError) -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// A uvarint that must fit in `Int` and be at most `limit`.
    mutating func length(limit: Int) throws(TSDBError) -> Int {
        let start = offset
        let value = try uvarint()
        guard value <= UInt64(limit) else { throw corruption("length \(value) exceeds \(limit)", at: start) }
        return Int(value)
    }

    mutating func bytes(_ count: Int) throws(TSDBError) -> UnsafeRawBufferPointer {
        guard count >= 0, remaining >= count else { throw corruption("unexpected end of data") }
        defer { offset &+= count }
        return UnsafeRawBufferPointer(rebasing: base[offset..<(offset &+ count)])
    }

    mutating func string() throws(TSDBError) -> String {
        let count = try length(limit: remaining)
        let raw = try bytes(count)
        return String(decoding: raw, as: UTF8.self)
    }

    /// Verifies that the big-endian CRC-32C at `offset` covers `base[start..<offset]`, and skips it.
    mutating func verifyChecksum(from start: Int, what: String) throws(TSDBError) {
        let end = offset
        let stored = try u32()
        let actual = CRC32C.update(0, UnsafeRawBufferPointer(rebasing: base[start..<end]))
        guard stored == actual else { throw corruption("\(what) checksum mismatch", at: start) }
    }
}
