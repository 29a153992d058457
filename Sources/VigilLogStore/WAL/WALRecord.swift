import VigilLogQL
import VigilModel

/// A record of the log store's WAL: a push (entries of streams, after validation), or the
/// snapshot of every open head chunk a checkpoint writes at the start of its new segment.
struct LogWALRecord: Sendable {
    enum Kind: UInt8 {
        case push = 1
        case headSnapshot = 2
    }

    struct Stream: Sendable {
        var tenant: String
        var labels: Labels
        var entries: [LogEntry]
    }

    var kind: Kind
    /// For a head snapshot, the checkpoint (segment number) it belongs to; 0 for a push.
    var checkpoint: UInt64
    var streams: [Stream]

    func encoded() -> [UInt8] {
        var sink = ByteSink()
        sink.bytes.reserveCapacity(64 + streams.reduce(0) { total, stream in stream.entries.reduce(total) { $0 + $1.line.count + 12 } })
        sink.bytes.append(kind.rawValue)
        sink.uvarint(checkpoint)
        sink.uvarint(UInt64(streams.count))
        for stream in streams {
            sink.string(stream.tenant)
            sink.uvarint(UInt64(stream.labels.count))
            for label in stream.labels {
                sink.string(label.name)
                sink.string(label.value)
            }
            sink.uvarint(UInt64(stream.entries.count))
            for entry in stream.entries {
                sink.varint(entry.timestamp)
                sink.bytes(entry.line)
                sink.uvarint(UInt64(entry.metadata.count))
                for label in entry.metadata {
                    sink.string(label.name)
                    sink.string(label.value)
                }
            }
        }
        return sink.bytes
    }

    static func decode(_ payload: UnsafeRawBufferPointer, context: String) throws(LogStoreError) -> LogWALRecord {
        var source = ByteSource(payload, context: context)
        guard payload.count > 0, let kind = Kind(rawValue: payload[0]) else { throw source.corrupt("record kind") }
        source.offset = 1
        let checkpoint = try source.uvarint("checkpoint")
        let streamCount = try source.count("stream count", limit: payload.count)
        var streams: [Stream] = []
        streams.reserveCapacity(streamCount)
        for _ in 0..<streamCount {
            let tenant = try source.string("tenant")
            let labelCount = try source.count("label count", limit: payload.count)
            var labels: [Label] = []
            for _ in 0..<labelCount {
                let name = try source.string("label name")
                labels.append(Label(name: name, value: try source.string("label value")))
            }
            let entryCount = try source.count("entry count", limit: payload.count)
            var entries: [LogEntry] = []
            entries.reserveCapacity(entryCount)
            for _ in 0..<entryCount {
                let timestamp = try source.varint("timestamp")
                let line = Array(try source.slice("line"))
                let metadataCount = try source.count("metadata count", limit: payload.count)
                var metadata: [Label] = []
                for _ in 0..<metadataCount {
                    let name = try source.string("metadata name")
                    metadata.append(Label(name: name, value: try source.string("metadata value")))
                }
                entries.append(LogEntry(timestamp: timestamp, line: line, metadata: metadataCount == 0 ? Labels() : Labels(metadata)))
            }
            streams.append(Stream(tenant: tenant, labels: Labels(labels), entries: entries))
        }
        return LogWALRecord(kind: kind, checkpoint: checkpoint, streams: streams)
    }
}
