import VigilModel

/// One frame of an output buffer: the lines of one chunk read by one input, the labels they
/// share, and the input's checkpoint once they are buffered (docs/formats/log-buffer.md).
///
/// The checkpoint travels with the lines so that a line is in the buffer exactly when the
/// checkpoint covering it is: after SIGKILL, the newest checkpoints are read back from the frames
/// (see ``LogPipeline``), so nothing buffered is read from its file twice.
struct BufferFrame: Sendable, Equatable {
    /// Appended frames are numbered in order, across restarts.
    var sequence: UInt64
    var checkpoint: InputCheckpoint
    /// The input's labels and `filename`.
    var labels: [(name: String, value: String)]
    var records: [LogRecord]

    init(sequence: UInt64, checkpoint: InputCheckpoint, labels: [(name: String, value: String)], records: [LogRecord]) {
        self.sequence = sequence
        self.checkpoint = checkpoint
        self.labels = labels
        self.records = records
    }

    /// A frame of a file's lines.
    init(sequence: UInt64, checkpoint: FileCheckpoint, labels: [(name: String, value: String)], records: [LogRecord]) {
        self.init(sequence: sequence, checkpoint: .file(checkpoint), labels: labels, records: records)
    }

    static func == (lhs: BufferFrame, rhs: BufferFrame) -> Bool {
        lhs.sequence == rhs.sequence && lhs.checkpoint == rhs.checkpoint && lhs.records == rhs.records
            && lhs.labels.elementsEqual(rhs.labels) { $0 == $1 }
    }

    /// The frame's bytes, with its length and CRC32C header.
    func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes.reserveCapacity(Self.headerSize + 64 + records.reduce(0) { $0 + $1.line.count + 12 })
        // The header's place, filled in once the payload's length and checksum are known.
        writer.bytes.append(contentsOf: repeatElement(0, count: Self.headerSize))
        writer.uvarint(sequence)
        checkpoint.encode(into: &writer)
        writer.uvarint(UInt64(labels.count))
        for label in labels {
            writer.string(label.name)
            writer.string(label.value)
        }
        writer.uvarint(UInt64(records.count))
        for record in records {
            writer.varint(record.timestamp)
            writer.bytes.append(record.stream.rawValue)
            writer.uvarint(UInt64(record.line.count))
            writer.bytes.append(contentsOf: record.line)
        }
        appendRecordFields(to: &writer)
        let length = UInt32(writer.bytes.count - Self.headerSize)
        let checksum = writer.bytes.withUnsafeBytes { CRC32C.update(0, UnsafeRawBufferPointer(rebasing: $0[Self.headerSize...])) }
        var header: [UInt8] = []
        ByteWriter.appendUInt32(length, to: &header)
        ByteWriter.appendUInt32(checksum, to: &header)
        writer.bytes.replaceSubrange(0..<Self.headerSize, with: header)
        return writer.bytes
    }

    /// Length and checksum, each a little-endian u32.
    static let headerSize = 8
    /// A frame claiming more is corruption.
    static let maximumSize = 256 << 20

    /// Decodes a frame's payload (checksum already verified); nil when malformed.
    static func decode(_ payload: UnsafeRawBufferPointer) -> BufferFrame? {
        var reader = ByteReader(bytes: payload)
        guard let sequence = reader.uvarint(), let checkpoint = InputCheckpoint.decode(from: &reader),
              let labelCount = reader.uvarint(), labelCount <= 1024
        else { return nil }
        var labels: [(name: String, value: String)] = []
        for _ in 0..<labelCount {
            guard let name = reader.string(), let value = reader.string() else { return nil }
            labels.append((name, value))
        }
        guard let recordCount = reader.uvarint(), recordCount <= UInt64(payload.count) else { return nil }
        var records: [LogRecord] = []
        records.reserveCapacity(Int(recordCount))
        for _ in 0..<recordCount {
            guard let timestamp = reader.varint(), let streamByte = reader.byte(),
                  let stream = LogRecord.Stream(rawValue: streamByte), let line = reader.byteArray()
            else { return nil }
            records.append(LogRecord(timestamp: timestamp, stream: stream, line: line))
        }
        guard readRecordFields(&reader, into: &records), reader.atEnd else { return nil }
        return BufferFrame(sequence: sequence, checkpoint: checkpoint, labels: labels, records: records)
    }
}

/// Appends varints, strings and fixed-width integers to a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func uvarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    mutating func varint(_ value: Int64) {
        uvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func string(_ value: String) {
        uvarint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in [0, 8, 16, 24] as [UInt32] { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    static func readUInt32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}

/// Reads what ``ByteWriter`` wrote, returning nil rather than reading past the end.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    var atEnd: Bool { position == bytes.count }

    mutating func byte() -> UInt8? {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uvarint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 64 {
            guard let next = byte() else { return nil }
            result |= UInt64(next & 0x7f) << shift
            if next & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }

    mutating func varint() -> Int64? {
        guard let raw = uvarint() else { return nil }
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func byteArray() -> [UInt8]? {
        guard let count = uvarint(), count <= UInt64(bytes.count - position) else { return nil }
        defer { position += Int(count) }
        return Array(bytes[position..<(position + Int(count))])
    }

    mutating func string() -> String? {
        byteArray().map { String(decoding: $0, as: UTF8.self) }
    }
}
