import VigilLogQL
import VigilLogStore
import VigilModel
import VigilRemote

/// Builds Loki push bodies the way clients (Promtail, Fluent Bit, the Vigil pipeline) do, from
/// push.proto's field numbers, independently of the decoder under test.
enum PushFixtures {
    struct Message {
        var bytes: [UInt8] = []

        mutating func varint(_ value: UInt64) {
            var remaining = value
            while remaining >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
                remaining >>= 7
            }
            bytes.append(UInt8(remaining))
        }

        mutating func tag(_ field: UInt64, _ wireType: UInt64) { varint(field << 3 | wireType) }

        mutating func bytesField(_ field: UInt64, _ value: [UInt8]) {
            tag(field, 2)
            varint(UInt64(value.count))
            bytes.append(contentsOf: value)
        }

        mutating func varintField(_ field: UInt64, _ value: UInt64) {
            tag(field, 0)
            varint(value)
        }
    }

    /// `logproto.PushRequest` for `streams`, labels written as `{a="b", c="d"}`.
    static func protobuf(_ streams: [(labels: String, entries: [(ns: Int64, line: String, metadata: [(String, String)])])]) -> [UInt8] {
        var request = Message()
        for stream in streams {
            var adapter = Message()
            adapter.bytesField(1, Array(stream.labels.utf8))
            for entry in stream.entries {
                var timestamp = Message()
                timestamp.varintField(1, UInt64(bitPattern: entry.ns / 1_000_000_000))
                timestamp.varintField(2, UInt64(entry.ns % 1_000_000_000))
                var message = Message()
                message.bytesField(1, timestamp.bytes)
                message.bytesField(2, Array(entry.line.utf8))
                for (name, value) in entry.metadata {
                    var pair = Message()
                    pair.bytesField(1, Array(name.utf8))
                    pair.bytesField(2, Array(value.utf8))
                    message.bytesField(3, pair.bytes)
                }
                adapter.bytesField(2, message.bytes)
            }
            adapter.varintField(3, 12345)  // `hash`, which Loki's clients may fill and servers ignore
            request.bytesField(1, adapter.bytes)
        }
        return request.bytes
    }

    static func snappy(_ message: [UInt8]) -> [UInt8] { Snappy.compress(message) }

    /// A push of one stream `labels` with `lines` at 1 ms steps from `start` ns.
    static func request(_ labels: Labels, lines: [String], start: Int64, step: Int64 = 1_000_000) -> PushRequest {
        PushRequest(streams: [PushStream(
            labels: labels,
            entries: lines.enumerated().map { LogEntry(timestamp: start + Int64($0.offset) * step, line: Array($0.element.utf8)) })])
    }
}
