/// The optional per-record section of a frame: each record's own labels and structured metadata
/// (docs/formats/log-buffer.md, "Record fields").
///
/// It follows the records only when some record has a label or a metadata field, introduced by
/// the byte ``recordFieldsMarker``; a frame without it reads as before, so frames written before
/// processors existed stay readable.
extension BufferFrame {
    /// Introduces the record-fields section.
    static let recordFieldsMarker: UInt8 = 0x01
    /// More fields than this on one record is corruption.
    static let maximumFieldsPerRecord: UInt64 = 1 << 16

    /// The labels of `record` as sent: the frame's labels, then the record's own labels (which
    /// override them), then `stream` for container logs. Every output asks this one function.
    func labels(of record: LogRecord) -> [String: String] {
        var labels: [String: String] = [:]
        for label in self.labels { labels[label.name] = label.value }
        for label in record.labels { labels[label.name] = label.value }
        if record.stream != .none { labels["stream"] = record.stream.name }
        return labels
    }

    func appendRecordFields(to writer: inout ByteWriter) {
        guard records.contains(where: { !$0.labels.isEmpty || !$0.metadata.isEmpty }) else { return }
        writer.bytes.append(Self.recordFieldsMarker)
        for record in records {
            Self.appendFields(record.labels, to: &writer)
            Self.appendFields(record.metadata, to: &writer)
        }
    }

    private static func appendFields(_ fields: [LogField], to writer: inout ByteWriter) {
        writer.uvarint(UInt64(fields.count))
        for field in fields {
            writer.string(field.name)
            writer.string(field.value)
        }
    }

    /// Reads the section into `records` when present; false when it is malformed.
    static func readRecordFields(_ reader: inout ByteReader, into records: inout [LogRecord]) -> Bool {
        if reader.atEnd { return true }
        guard reader.byte() == recordFieldsMarker else { return false }
        for index in records.indices {
            guard let labels = readFields(&reader), let metadata = readFields(&reader) else { return false }
            records[index].labels = labels
            records[index].metadata = metadata
        }
        return true
    }

    private static func readFields(_ reader: inout ByteReader) -> [LogField]? {
        guard let count = reader.uvarint(), count <= maximumFieldsPerRecord else { return nil }
        var fields: [LogField] = []
        fields.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let name = reader.string(), let value = reader.string() else { return nil }
            fields.append(LogField(name, value))
        }
        return fields
    }
}
