public import VigilLogQL
import VigilModel
import VigilRemote

/// Decodes Loki's protobuf push body: a `logproto.PushRequest` (grafana/loki `pkg/push/push.proto`)
/// compressed with snappy's block format.
///
/// ```proto
/// message PushRequest   { repeated StreamAdapter streams = 1; }
/// message StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
/// message EntryAdapter  { google.protobuf.Timestamp timestamp = 1; string line = 2;
///                         repeated LabelPairAdapter structuredMetadata = 3; repeated LabelPairAdapter parsed = 4; }
/// message LabelPairAdapter { string name = 1; string value = 2; }
/// ```
/// `hash` and `parsed` are read past (Loki fills them on its own side). Errors name the byte
/// offset in the decompressed message.
public enum LokiProtobufPushDecoder {
    /// Decompresses and decodes `body`; a decompressed size over `maxDecodedBytes` is a 413.
    public static func decode(snappy body: [UInt8], maxDecodedBytes: Int) throws(LogStoreError) -> PushRequest {
        let message: [UInt8]
        do {
            message = try Snappy.decompress(body, maxDecodedLength: maxDecodedBytes)
        } catch {
            if error.isLengthOverLimit {
                throw LogStoreError(.tooLarge, "decompressed push body exceeds the limit of \(maxDecodedBytes) bytes")
            }
            throw .badRequest("snappy: \(error)")
        }
        return try decode(message)
    }

    /// Decodes an uncompressed `PushRequest` message.
    public static func decode(_ message: [UInt8]) throws(LogStoreError) -> PushRequest {
        let raw: [RawStream]
        do throws(ProtobufError) {
            raw = try withBytes(message) { buffer throws(ProtobufError) in
                var reader = ProtobufReader(buffer)
                var streams: [RawStream] = []
                while let (field, type) = try reader.readTag() {
                    let start = reader.position
                    if field == 1 {
                        try reader.expect(type, .lengthDelimited, field: field, at: start)
                        var sub = reader.subReader(try reader.readLengthDelimited())
                        streams.append(try stream(&sub))
                    } else {
                        try reader.skip(type, field: field)
                    }
                }
                return streams
            }
        } catch {
            throw .badRequest("push protobuf: \(error.message) at byte \(error.offset)")
        }
        var streams: [PushStream] = []
        streams.reserveCapacity(raw.count)
        for (index, stream) in raw.enumerated() {
            do {
                streams.append(PushStream(labels: try StreamSelector.parseLabels(stream.labels), entries: stream.entries))
            } catch {
                throw .badRequest("streams[\(index)] (labels at byte \(stream.labelsOffset)): \(error.message)")
            }
        }
        return PushRequest(streams: streams)
    }

    /// A stream as read off the wire, before its labels string is parsed.
    struct RawStream {
        var labels: String
        var labelsOffset: Int
        var entries: [LogEntry]
    }

    static func stream(_ reader: inout ProtobufReader) throws(ProtobufError) -> RawStream {
        var stream = RawStream(labels: "", labelsOffset: reader.position, entries: [])
        while let (field, type) = try reader.readTag() {
            let start = reader.position
            switch field {
            case 1:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                stream.labelsOffset = reader.position
                stream.labels = try reader.readString()
            case 2:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                var sub = reader.subReader(try reader.readLengthDelimited())
                stream.entries.append(try entry(&sub))
            default:
                try reader.skip(type, field: field)
            }
        }
        return stream
    }

    static func entry(_ reader: inout ProtobufReader) throws(ProtobufError) -> LogEntry {
        var seconds: Int64 = 0
        var nanos: Int64 = 0
        var line: [UInt8] = []
        var metadata: [Label] = []
        while let (field, type) = try reader.readTag() {
            let start = reader.position
            switch field {
            case 1:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                var sub = reader.subReader(try reader.readLengthDelimited())
                while let (inner, innerType) = try sub.readTag() {
                    let innerStart = sub.position
                    switch inner {
                    case 1:
                        try sub.expect(innerType, .varint, field: inner, at: innerStart)
                        seconds = try sub.readInt64()
                    case 2:
                        try sub.expect(innerType, .varint, field: inner, at: innerStart)
                        nanos = Int64(Int32(truncatingIfNeeded: try sub.readVarint()))
                    default: try sub.skip(innerType, field: inner)
                    }
                }
            case 2:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                line = Array(reader.bytes(try reader.readLengthDelimited()))
            case 3:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                var sub = reader.subReader(try reader.readLengthDelimited())
                var name = ""
                var value = ""
                while let (inner, innerType) = try sub.readTag() {
                    let innerStart = sub.position
                    switch inner {
                    case 1:
                        try sub.expect(innerType, .lengthDelimited, field: inner, at: innerStart)
                        name = try sub.readString()
                    case 2:
                        try sub.expect(innerType, .lengthDelimited, field: inner, at: innerStart)
                        value = try sub.readString()
                    default: try sub.skip(innerType, field: inner)
                    }
                }
                metadata.append(Label(name: name, value: value))
            default:
                try reader.skip(type, field: field)
            }
        }
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let timestamp = overflow ? (seconds < 0 ? Int64.min : Int64.max) : product &+ nanos
        return LogEntry(timestamp: timestamp, line: line, metadata: metadata.isEmpty ? Labels() : Labels(metadata))
    }
}
