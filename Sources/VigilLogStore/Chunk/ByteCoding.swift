import VigilModel

/// Little-endian integers and varints appended to a byte array: the store's file formats.
struct ByteSink {
    var bytes: [UInt8] = []

    mutating func uvarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    /// Zig-zag signed varint.
    mutating func varint(_ value: Int64) {
        uvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func bytes(_ value: some Collection<UInt8>) {
        uvarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ value: String) {
        bytes(value.utf8)
    }

    /// A count, then each label's name and value: what ``ByteSource/labels(count:name:value:)`` reads.
    mutating func labels(_ labels: Labels) {
        uvarint(UInt64(labels.count))
        for label in labels {
            string(label.name)
            string(label.value)
        }
    }

    mutating func uint32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func uint64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// A bounds-checked reader over bytes written by ``ByteSink``; every failure is `nil`-free: it
/// throws a ``LogStoreError`` naming what was being read and the offset.
struct ByteSource {
    let bytes: UnsafeRawBufferPointer
    var offset: Int
    /// Names the file or record in errors.
    let context: String

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0, context: String) {
        self.bytes = bytes
        self.offset = offset
        self.context = context
    }

    var isAtEnd: Bool { offset >= bytes.count }

    func corrupt(_ what: String) -> LogStoreError {
        .io("\(context): corrupt \(what) at byte \(offset)")
    }

    mutating func uvarint(_ what: String = "varint") throws(LogStoreError) -> UInt64 {
        // Most values (template numbers, small deltas, lengths) fit one byte.
        if offset < bytes.count, bytes[offset] < 0x80 {
            offset += 1
            return UInt64(bytes[offset - 1])
        }
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = offset
        while true {
            guard index < bytes.count, index - offset < 10 else { throw corrupt(what) }
            let byte = bytes[index]
            value |= UInt64(byte & 0x7F) << shift
            index += 1
            if byte < 0x80 { break }
            shift += 7
        }
        offset = index
        return value
    }

    mutating func varint(_ what: String = "varint") throws(LogStoreError) -> Int64 {
        let raw = try uvarint(what)
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func count(_ what: String, limit: Int) throws(LogStoreError) -> Int {
        let value = try uvarint(what)
        guard value <= UInt64(limit) else { throw corrupt(what) }
        return Int(value)
    }

    mutating func slice(_ what: String) throws(LogStoreError) -> UnsafeRawBufferPointer {
        let length = try count(what, limit: bytes.count - offset)
        defer { offset += length }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
    }

    mutating func string(_ what: String) throws(LogStoreError) -> String {
        String(decoding: try slice(what), as: UTF8.self)
    }

    /// A uvarint count, then that many name and value strings: a stream's labels or an entry's
    /// metadata. The three names say what is read, for errors.
    mutating func labels(count what: String, name: String, value: String) throws(LogStoreError) -> Labels {
        let count = try self.count(what, limit: bytes.count - offset)
        guard count > 0 else { return Labels() }
        var labels: [Label] = []
        labels.reserveCapacity(count)
        for _ in 0..<count {
            let labelName = try string(name)
            labels.append(Label(name: labelName, value: try string(value)))
        }
        return Labels(labels)
    }

    mutating func uint32(_ what: String) throws(LogStoreError) -> UInt32 {
        guard bytes.count - offset >= 4 else { throw corrupt(what) }
        defer { offset += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func uint64(_ what: String) throws(LogStoreError) -> UInt64 {
        guard bytes.count - offset >= 8 else { throw corrupt(what) }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}

/// `Array.withUnsafeBytes` for a body with a typed error (the standard library's rethrows
/// erases the type).
@inline(__always)
func withBytes<Result, Failure: Error>(
    _ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
) throws(Failure) -> Result {
    let outcome: Swift.Result<Result, Failure> = bytes.withUnsafeBytes { raw in
        do throws(Failure) {
            return .success(try body(raw))
        } catch {
            return .failure(error)
        }
    }
    return try outcome.get()
}
