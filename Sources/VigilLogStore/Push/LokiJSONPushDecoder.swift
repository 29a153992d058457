public import VigilLogQL
public import VigilModel

/// Decodes Loki's JSON push body:
/// `{"streams":[{"stream":{"app":"x"},"values":[["<ns>","line",{"trace_id":"abc"}]]}]}`.
///
/// Timestamps must be strings of nanoseconds (a number is refused, as Loki does); the optional
/// third element of a value is flat structured metadata. Errors name the byte offset and the
/// stream.
public enum LokiJSONPushDecoder {
    /// Decodes `body`; throws a 400 ``LogStoreError`` naming the problem's byte offset.
    public static func decode(_ body: [UInt8]) throws(LogStoreError) -> PushRequest {
        var reader = JSONReader(body)
        var streams: [PushStream] = []
        do throws(JSONReader.Error) {
            try reader.readObject { reader, key throws(JSONReader.Error) in
                guard key == "streams" else { return try reader.skipValue() }
                if reader.readNull() { return }
                try reader.readArray { reader throws(JSONReader.Error) in
                    streams.append(try stream(&reader, index: streams.count))
                }
            }
            try reader.expectEnd()
        } catch {
            throw .badRequest("loghttp push: \(error)")
        }
        return PushRequest(streams: streams)
    }

    static func stream(_ reader: inout JSONReader, index: Int) throws(JSONReader.Error) -> PushStream {
        var labels: [Label] = []
        var entries: [LogEntry] = []
        try reader.readObject { reader, key throws(JSONReader.Error) in
            switch key {
            case "stream":
                if reader.readNull() { return }
                try reader.readObject { reader, name throws(JSONReader.Error) in
                    labels.append(Label(name: name, value: try reader.readString()))
                }
            case "values":
                if reader.readNull() { return }
                try reader.readArray { reader throws(JSONReader.Error) in
                    entries.append(try entry(&reader))
                }
            default: try reader.skipValue()
            }
        }
        let source = labels.map { "\($0.name)=\(GoQuote.quote($0.value))" }.joined(separator: ", ")
        do {
            return PushStream(labels: try PushValidation.labels(labels, source: "{\(source)}"), entries: entries)
        } catch {
            throw reader.failure("streams[\(index)]: \(error.message)")
        }
    }

    static func entry(_ reader: inout JSONReader) throws(JSONReader.Error) -> LogEntry {
        var position = 0
        var timestamp: Int64 = 0
        var line: [UInt8] = []
        var metadata: [Label] = []
        try reader.readArray { reader throws(JSONReader.Error) in
            switch position {
            case 0:
                let text: String
                do throws(JSONReader.Error) {
                    text = try reader.readString()
                } catch {
                    throw reader.failure("timestamp must be a string of nanoseconds since the epoch")
                }
                guard let value = Int64(text) else {
                    throw reader.failure("timestamp \(GoQuote.quote(text)) is not an integer number of nanoseconds")
                }
                timestamp = value
            case 1:
                line = Array(try reader.readString().utf8)
            case 2:
                if reader.readNull() { break }
                try reader.readObject { reader, name throws(JSONReader.Error) in
                    metadata.append(Label(name: name, value: try reader.readString()))
                }
            default:
                throw reader.failure("a value has at most 3 elements: timestamp, line and structured metadata")
            }
            position += 1
        }
        guard position >= 2 else { throw reader.failure("a value needs a timestamp and a line") }
        return LogEntry(timestamp: timestamp, line: line, metadata: metadata.isEmpty ? Labels() : Labels(metadata))
    }
}
