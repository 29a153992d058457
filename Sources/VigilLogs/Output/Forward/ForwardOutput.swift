import FoundationEssentials
import VigilConfig

/// Fluentd's forward protocol (v1): one `PackedForward` message per batch,
/// `[tag, bin(<[EventTime, record]>…), {"chunk": id, "size": n}]`, over one kept-open TCP or TLS
/// connection (``StreamConnection``, with ``ForwardHandshake`` when a shared key is set); with
/// `require_ack` the batch counts as delivered only once the receiver answers `{"ack": id}`.
///
/// Each record is `{"log": line, "labels": {…}}`; the time is the EventTime extension (type 0:
/// seconds and nanoseconds, big-endian), so nothing below a second is lost.
struct ForwardOutput: LogOutput {
    struct Request: Sendable {
        var message: [UInt8]
        var chunk: String
    }

    let config: ForwardOutputConfig
    /// The kept-open connection, TLS and handshake included.
    let connection: StreamConnection

    func encode(_ entries: [OutputEntry]) -> (request: Request, bytes: Int) {
        var events = MessagePack.Writer()
        events.bytes.reserveCapacity(entries.reduce(0) { $0 + $1.line.count + 64 })
        for entry in entries {
            events.writeArrayHeader(2)
            let (seconds, nanos) = entry.timestamp.quotientAndRemainder(dividingBy: 1_000_000_000)
            let wholeSeconds = nanos < 0 ? seconds - 1 : seconds
            let positiveNanos = nanos < 0 ? nanos + 1_000_000_000 : nanos
            var time: [UInt8] = []
            for value in [UInt32(truncatingIfNeeded: wholeSeconds), UInt32(positiveNanos)] {
                time += [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
            }
            events.writeExt(type: 0, time)
            events.writeMapHeader(2)
            events.writeString("log")
            events.writeString(entry.line)
            events.writeString("labels")
            events.writeMapHeader(entry.labels.count)
            for label in entry.labels {
                events.writeString(label.name)
                events.writeString(label.value)
            }
        }
        let chunk = Self.chunkID()
        var message = MessagePack.Writer()
        message.writeArrayHeader(3)
        message.writeString(config.tag)
        message.writeBinary(events.bytes)
        message.writeMapHeader(config.requireAck ? 2 : 1)
        message.writeString("size")
        message.write(UInt64(entries.count))
        if config.requireAck {
            message.writeString("chunk")
            message.writeString(chunk)
        }
        return (Request(message: message.bytes, chunk: chunk), message.bytes.count)
    }

    /// A fresh chunk id: 16 random bytes in base64, as Fluent Bit sends.
    static func chunkID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
    }

    func send(_ request: Request) async throws -> MessagePack.Value? {
        guard config.requireAck else {
            _ = try await connection.exchange(request.message)
            return nil
        }
        let answer = try await connection.exchange(request.message, until: MessagePack.holdsWholeValue)
        var reader = MessagePack.Reader(answer)
        do {
            let value = try reader.read()
            guard value["ack"]?.text == request.chunk else {
                throw SocketExchange.Failure(description: "\(config.address) acknowledged another chunk than \(request.chunk)")
            }
            return value
        } catch let error as MessagePack.DecodeError {
            throw SocketExchange.Failure(description: "\(config.address) sent an unreadable acknowledgement: \(error)")
        }
    }

    func interpret(_ response: MessagePack.Value?, count: Int) -> DeliveryOutcome {
        // Delivered once written (no ack wanted) or acknowledged; `send` threw otherwise.
        .accepted
    }

    func close() async {
        await connection.close()
    }
}
