import VigilModel

/// Encodes entries as a Loki push request, in JSON or in protobuf (snappy-compressed by the caller).
///
/// A stream is the entries' labels (``OutputEntry/labels(of:in:extra:)``). Streams keep the order
/// their first line had; lines keep their order within a stream. A record's structured metadata
/// is sent as Loki's structured metadata (a third `values` element in JSON, field 3 in protobuf).
enum LokiPushEncoder {
    struct Stream {
        var labels: [(name: String, value: String)]
        var entries: [(timestamp: Int64, line: [UInt8], metadata: [LogField])]
    }

    /// Groups entries into streams by their labels.
    static func streams(_ entries: [OutputEntry]) -> [Stream] {
        var streams: [Stream] = []
        var bySet: [Int: Int] = [:]
        var byKey: [String: Int] = [:]
        for entry in entries {
            let slot: Int?
            if entry.labelSet >= 0 {
                slot = bySet[entry.labelSet]
            } else {
                var key = ""
                for label in entry.labels {
                    key += label.name
                    key += "\u{0}"
                    key += label.value
                    key += "\u{1}"
                }
                slot = byKey[key]
                if slot == nil { byKey[key] = streams.count }
            }
            if let slot {
                streams[slot].entries.append((entry.timestamp, entry.line, entry.metadata))
            } else {
                if entry.labelSet >= 0 { bySet[entry.labelSet] = streams.count }
                streams.append(Stream(labels: entry.labels, entries: [(entry.timestamp, entry.line, entry.metadata)]))
            }
        }
        return streams
    }

    /// `{"streams":[{"stream":{labels},"values":[["<ns>","line"],…]}]}`.
    static func json(_ entries: [OutputEntry]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(
            entries.reduce(64) { total, entry in
                entry.metadata.reduce(total + entry.line.count * 11 / 10 + 48) { $0 + $1.name.utf8.count + $1.value.utf8.count + 8 }
            })
        out += Array(#"{"streams":["#.utf8)
        for (position, stream) in streams(entries).enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out += Array(#"{"stream":"#.utf8)
            appendObject(stream.labels, to: &out)
            out += Array(#","values":["#.utf8)
            for (index, entry) in stream.entries.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "["))
                out.append(UInt8(ascii: "\""))
                appendDecimal(entry.timestamp, to: &out)
                out.append(UInt8(ascii: "\""))
                out.append(UInt8(ascii: ","))
                JSONQuoting.append(utf8: entry.line, to: &out)
                if !entry.metadata.isEmpty {
                    out.append(UInt8(ascii: ","))
                    appendObject(entry.metadata.map { (name: $0.name, value: $0.value) }, to: &out)
                }
                out.append(UInt8(ascii: "]"))
            }
            out += [UInt8(ascii: "]"), UInt8(ascii: "}")]
        }
        out += [UInt8(ascii: "]"), UInt8(ascii: "}")]
        return out
    }

    /// The decimal digits of `value`, without making a `String` per entry.
    private static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// `{"name":"value",…}`.
    private static func appendObject(_ fields: [(name: String, value: String)], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONQuoting.append(field.name, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONQuoting.append(field.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Loki's `logproto.PushRequest`: `streams` (1) of `labels` (1, `{a="b", …}`) and `entries`
    /// (2) of `timestamp` (1, seconds and nanos), `line` (2) and `structuredMetadata` (3, of
    /// `name` (1) and `value` (2)).
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
                for field in entry.metadata {
                    var pair = ByteWriter()
                    pair.field(1, Array(field.name.utf8))
                    pair.field(2, Array(field.value.utf8))
                    entryMessage.field(3, pair.bytes)
                }
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
