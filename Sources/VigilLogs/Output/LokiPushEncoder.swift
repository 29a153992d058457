import VigilModel

/// Encodes entries as a Loki push request, in JSON or in protobuf (snappy-compressed by the caller).
///
/// A stream is the entries' labels (``OutputEntry/labels(of:in:extra:)``). Streams keep the order
/// their first line had; lines keep their order within a stream.
enum LokiPushEncoder {
    struct Stream {
        var labels: [(name: String, value: String)]
        var entries: [(timestamp: Int64, line: [UInt8])]
    }

    /// Groups entries into streams by their labels.
    static func streams(_ entries: [OutputEntry]) -> [Stream] {
        var streams: [Stream] = []
        var index: [String: Int] = [:]
        for entry in entries {
            var key = ""
            for label in entry.labels {
                key += label.name
                key += "\u{0}"
                key += label.value
                key += "\u{1}"
            }
            if let slot = index[key] {
                streams[slot].entries.append((entry.timestamp, entry.line))
            } else {
                index[key] = streams.count
                streams.append(Stream(labels: entry.labels, entries: [(entry.timestamp, entry.line)]))
            }
        }
        return streams
    }

    /// `{"streams":[{"stream":{labels},"values":[["<ns>","line"],…]}]}`.
    static func json(_ entries: [OutputEntry]) -> [UInt8] {
        var out = "{\"streams\":["
        for (position, stream) in streams(entries).enumerated() {
            if position > 0 { out += "," }
            out += "{\"stream\":{"
            for (index, label) in stream.labels.enumerated() {
                if index > 0 { out += "," }
                JSONQuoting.append(label.name, to: &out)
                out += ":"
                JSONQuoting.append(label.value, to: &out)
            }
            out += "},\"values\":["
            for (index, entry) in stream.entries.enumerated() {
                if index > 0 { out += "," }
                out += "[\"\(entry.timestamp)\","
                JSONQuoting.append(String(decoding: entry.line, as: UTF8.self), to: &out)
                out += "]"
            }
            out += "]}"
        }
        out += "]}"
        return Array(out.utf8)
    }

    /// Loki's `logproto.PushRequest`: `streams` (1) of `labels` (1, `{a="b", …}`) and `entries`
    /// (2) of `timestamp` (1, seconds and nanos) and `line` (2).
    static func protobuf(_ entries: [OutputEntry]) -> [UInt8] {
        var request = ByteWriter()
        for stream in streams(entries) {
            var message = ByteWriter()
            var labels = "{"
            for (index, label) in stream.labels.enumerated() {
                if index > 0 { labels += ", " }
                labels += label.name
                labels += "="
                labels += GoQuote.quote(label.value)
            }
            labels += "}"
            message.field(1, Array(labels.utf8))
            for entry in stream.entries {
                var timestamp = ByteWriter()
                let (seconds, nanos) = entry.timestamp.quotientAndRemainder(dividingBy: 1_000_000_000)
                let (wholeSeconds, positiveNanos) = nanos < 0 ? (seconds - 1, nanos + 1_000_000_000) : (seconds, nanos)
                if wholeSeconds != 0 {
                    timestamp.bytes.append(1 << 3)
                    timestamp.uvarint(UInt64(bitPattern: wholeSeconds))
                }
                if positiveNanos != 0 {
                    timestamp.bytes.append(2 << 3)
                    timestamp.uvarint(UInt64(positiveNanos))
                }
                var entryMessage = ByteWriter()
                entryMessage.field(1, timestamp.bytes)
                entryMessage.field(2, entry.line)
                message.field(2, entryMessage.bytes)
            }
            request.field(1, message.bytes)
        }
        return request.bytes
    }
}

extension ByteWriter {
    /// A length-delimited protobuf field.
    mutating func field(_ number: UInt64, _ payload: [UInt8]) {
        uvarint(number << 3 | 2)
        uvarint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }
}
