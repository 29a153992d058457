import VigilModel

/// Encodes and decodes WAL records and the frames that carry them (see docs/formats/wal.md).
///
/// All integers are little-endian; `uvarint` is LEB128, `varint` is zig-zag LEB128.
@usableFromInline
internal enum WALRecordCodec {
    /// Bytes before a frame's payload: crc32c u32, type u8, payload length u32.
    static let frameHeaderSize = 9
    /// The only frame type so far: one `log(_:)` batch.
    static let frameTypeBatch: UInt8 = 1

    static let recordSeries: UInt8 = 1
    static let recordSamples: UInt8 = 2
    static let recordTombstones: UInt8 = 3

    // MARK: Encoding

    /// Appends one whole frame holding `records` to `buffer`.
    static func appendFrame(_ records: [WALRecord], to buffer: inout [UInt8]) {
        let frameStart = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: frameHeaderSize))
        for record in records { appendRecord(record, to: &buffer) }
        let payloadLength = buffer.count - frameStart - frameHeaderSize
        buffer[frameStart + 4] = frameTypeBatch
        putUInt32(UInt32(truncatingIfNeeded: payloadLength), into: &buffer, at: frameStart + 5)
        let crc = buffer.withUnsafeBytes { bytes in
            CRC32C.update(0, UnsafeRawBufferPointer(rebasing: bytes[(frameStart + 4)...]))
        }
        putUInt32(crc, into: &buffer, at: frameStart)
    }

    static func appendRecord(_ record: WALRecord, to buffer: inout [UInt8]) {
        let start = buffer.count
        buffer.append(0)
        buffer.append(contentsOf: [0, 0, 0, 0] as [UInt8])
        switch record {
        case .series(let series):
            buffer[start] = recordSeries
            appendUVarint(UInt64(series.count), to: &buffer)
            for entry in series {
                appendUVarint(entry.ref, to: &buffer)
                appendLabels(entry.labels, to: &buffer)
            }
        case .samples(let samples):
            buffer[start] = recordSamples
            appendUVarint(UInt64(samples.count), to: &buffer)
            buffer.reserveCapacity(buffer.count + samples.count * 12)
            var previousRef: UInt64 = 0
            var previousTime: Int64 = 0
            for sample in samples {
                appendVarint(Int64(bitPattern: sample.ref &- previousRef), to: &buffer)
                appendVarint(sample.timestamp &- previousTime, to: &buffer)
                appendUInt64(sample.value.bitPattern, to: &buffer)
                previousRef = sample.ref
                previousTime = sample.timestamp
            }
        case .tombstones(let tombstones):
            buffer[start] = recordTombstones
            appendUVarint(UInt64(tombstones.count), to: &buffer)
            for stone in tombstones {
                appendUVarint(stone.ref, to: &buffer)
                appendVarint(stone.mint, to: &buffer)
                appendVarint(stone.maxt, to: &buffer)
            }
        }
        putUInt32(UInt32(truncatingIfNeeded: buffer.count - start - 5), into: &buffer, at: start + 1)
    }

    @inline(__always)
    static func appendUVarint(_ value: UInt64, to buffer: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }

    @inline(__always)
    static func appendVarint(_ value: Int64, to buffer: inout [UInt8]) {
        appendUVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)), to: &buffer)
    }

    @inline(__always)
    static func appendUInt64(_ value: UInt64, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    /// A label set as a uvarint count, then each label's name and value as strings.
    static func appendLabels(_ labels: Labels, to buffer: inout [UInt8]) {
        appendUVarint(UInt64(labels.count), to: &buffer)
        for label in labels {
            appendString(label.name, to: &buffer)
            appendString(label.value, to: &buffer)
        }
    }

    static func appendString(_ string: String, to buffer: inout [UInt8]) {
        var string = string
        string.withUTF8 { utf8 in
            appendUVarint(UInt64(utf8.count), to: &buffer)
            buffer.append(contentsOf: utf8)
        }
    }

    static func putUInt32(_ value: UInt32, into buffer: inout [UInt8], at offset: Int) {
        buffer[offset] = UInt8(truncatingIfNeeded: value)
        buffer[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
        buffer[offset + 2] = UInt8(truncatingIfNeeded: value >> 16)
        buffer[offset + 3] = UInt8(truncatingIfNeeded: value >> 24)
    }

    // MARK: Decoding

    /// Why a payload whose checksum matched could still not be decoded.
    struct DecodeError: Error {
        var offset: Int
        var reason: String
    }

    /// Decodes every record of a frame payload, in order, handing each to `body`.
    static func decodePayload(
        _ payload: UnsafeRawBufferPointer,
        _ body: (WALRecord) throws(TSDBError) -> Void
    ) throws(DecodeOrHandlerError) {
        var reader = ByteReader(payload)
        while !reader.isAtEnd {
            let record: WALRecord
            do {
                record = try decodeRecord(&reader)
            } catch {
                throw .decode(error)
            }
            do {
                try body(record)
            } catch {
                throw .handler(error)
            }
        }
    }

    enum DecodeOrHandlerError: Error {
        case decode(DecodeError)
        case handler(TSDBError)
    }

    static func decodeRecord(_ reader: inout ByteReader) throws(DecodeError) -> WALRecord {
        let type = try reader.byte()
        let length = Int(try reader.uint32())
        var body = ByteReader(try reader.bytes(length), base: reader.offset - length)
        let record: WALRecord
        switch type {
        case recordSeries:
            let count = try body.count(minimumBytesEach: 2)
            var series: [WALRecord.SeriesRecord] = []
            series.reserveCapacity(count)
            var labels: [Label] = []
            for _ in 0..<count {
                let ref = try body.uvarint()
                try body.labels(into: &labels)
                series.append(WALRecord.SeriesRecord(ref: ref, labels: Labels(canonicalizing: labels)))
            }
            record = .series(series)
        case recordSamples:
            let count = try body.count(minimumBytesEach: 10)
            var samples: [RefSample] = []
            samples.reserveCapacity(count)
            var ref: UInt64 = 0
            var time: Int64 = 0
            for _ in 0..<count {
                ref = ref &+ UInt64(bitPattern: try body.varint())
                time = time &+ (try body.varint())
                let value = Double(bitPattern: try body.uint64())
                samples.append(RefSample(ref: ref, timestamp: time, value: value))
            }
            record = .samples(samples)
        case recordTombstones:
            let count = try body.count(minimumBytesEach: 3)
            var stones: [Tombstone] = []
            stones.reserveCapacity(count)
            for _ in 0..<count {
                let ref = try body.uvarint()
                let mint = try body.varint()
                let maxt = try body.varint()
                stones.append(Tombstone(ref: ref, mint: mint, maxt: maxt))
            }
            record = .tombstones(stones)
        default:
            throw DecodeError(offset: reader.offset - length - 5, reason: "unknown record type \(type)")
        }
        if !body.isAtEnd {
            throw DecodeError(offset: body.absoluteOffset, reason: "\(body.remaining) trailing bytes in record")
        }
        return record
    }
}

/// A bounds-checked cursor over bytes; every read throws instead of trapping on short input.
@usableFromInline
internal struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0
    let base: Int

    init(_ bytes: UnsafeRawBufferPointer, base: Int = 0) {
        self.bytes = bytes
        self.base = base
    }

    var isAtEnd: Bool { offset >= bytes.count }
    var remaining: Int { bytes.count - offset }
    var absoluteOffset: Int { base + offset }

    private func short(_ what: String) -> WALRecordCodec.DecodeError {
        WALRecordCodec.DecodeError(offset: absoluteOffset, reason: "truncated \(what)")
    }

    @inline(__always)
    mutating func byte() throws(WALRecordCodec.DecodeError) -> UInt8 {
        guard offset < bytes.count else { throw short("byte") }
        defer { offset += 1 }
        return bytes[offset]
    }

    @inline(__always)
    mutating func uint32() throws(WALRecordCodec.DecodeError) -> UInt32 {
        guard remaining >= 4 else { throw short("uint32") }
        defer { offset += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    mutating func uint64() throws(WALRecordCodec.DecodeError) -> UInt64 {
        guard remaining >= 8 else { throw short("uint64") }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    mutating func uvarint() throws(WALRecordCodec.DecodeError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw WALRecordCodec.DecodeError(offset: absoluteOffset, reason: "varint overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw WALRecordCodec.DecodeError(offset: absoluteOffset, reason: "varint overflows 64 bits") }
        }
        throw short("varint")
    }

    @inline(__always)
    mutating func varint() throws(WALRecordCodec.DecodeError) -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// A count of items each at least `minimumBytesEach` long, rejected when the rest cannot hold
    /// that many, so a damaged count never drives a huge allocation.
    mutating func count(minimumBytesEach: Int) throws(WALRecordCodec.DecodeError) -> Int {
        let raw = try uvarint()
        guard raw <= UInt64(remaining / minimumBytesEach) else {
            throw WALRecordCodec.DecodeError(offset: absoluteOffset, reason: "count \(raw) exceeds the record")
        }
        return Int(raw)
    }

    mutating func bytes(_ count: Int) throws(WALRecordCodec.DecodeError) -> UnsafeRawBufferPointer {
        guard count >= 0, remaining >= count else { throw short("\(count)-byte field") }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    /// What ``WALRecordCodec/appendLabels(_:to:)`` wrote, into `labels` (emptied first).
    mutating func labels(into labels: inout [Label]) throws(WALRecordCodec.DecodeError) {
        let count = try count(minimumBytesEach: 2)
        labels.removeAll(keepingCapacity: true)
        for _ in 0..<count {
            let name = try string()
            labels.append(Label(name: name, value: try string()))
        }
    }

    mutating func string() throws(WALRecordCodec.DecodeError) -> String {
        let length = try uvarint()
        guard length <= UInt64(remaining) else { throw short("string") }
        return String(decoding: try bytes(Int(length)), as: UTF8.self)
    }
}
