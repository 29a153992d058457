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
            sink.labels(stream.labels)
            sink.uvarint(UInt64(stream.entries.count))
            for entry in stream.entries {
                sink.varint(entry.timestamp)
                sink.bytes(entry.line)
                sink.labels(entry.metadata)
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
            let labels = try source.labels(count: "label count", name: "label name", value: "label value")
            let entryCount = try source.count("entry count", limit: payload.count)
            var entries: [LogEntry] = []
            entries.reserveCapacity(entryCount)
            for _ in 0..<entryCount {
                let timestamp = try source.varint("timestamp")
                let line = Array(try source.slice("line"))
                let metadata = try source.labels(count: "metadata count", name: "metadata name", value: "metadata value")
                entries.append(LogEntry(timestamp: timestamp, line: line, metadata: metadata))
            }
            streams.append(Stream(tenant: tenant, labels: labels, entries: entries))
        }
        return LogWALRecord(kind: kind, checkpoint: checkpoint, streams: streams)
    }
}
