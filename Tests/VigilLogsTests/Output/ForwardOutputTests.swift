import Testing
import VigilConfig
import VigilModel
import VigilTestSupport
@testable import VigilLogs

@Suite struct ForwardOutputTests {
    /// Answers a whole PackedForward message with `{"ack": <its chunk>}`.
    static func acknowledge(_ bytes: [UInt8]) -> [UInt8]? {
        var reader = MessagePack.Reader(bytes)
        guard let message = try? reader.read(), case .array(let parts) = message, parts.count == 3,
              let chunk = parts[2]["chunk"]
        else { return nil }
        var writer = MessagePack.Writer()
        writer.write(.map([(.string(Array("ack".utf8)), chunk)]))
        return writer.bytes
    }

    @Test func sendsPackedForwardAndWaitsForTheAck() async throws {
        try await TCPReceiver.with(reply: Self.acknowledge) { receiver in
            var forward = ForwardOutputConfig(address: "127.0.0.1:\(receiver.port)")
            forward.tag = "app.logs"
            let config = SenderHarness.config(.forward(forward))
            let output = ForwardOutput(config: forward, timeout: .seconds(10))
            let metrics = try await SenderHarness.run(output, config: config, lines: ["first", "sécond"])
            #expect(metrics.linesSent.value == 2)
            let bytes = try #require(receiver.connections.first)
            var reader = MessagePack.Reader(bytes)
            let message = try reader.read()
            #expect(reader.atEnd)
            guard case .array(let parts) = message, parts.count == 3, case .binary(let events) = parts[1] else {
                Issue.record("not [tag, bin, option]: \(message)")
                return
            }
            #expect(parts[0] == .string(Array("app.logs".utf8)))
            #expect(parts[2]["size"] == .uint(2))
            #expect(parts[2]["chunk"]?.text?.count == 24)
            var eventReader = MessagePack.Reader(events)
            var decoded: [MessagePack.Value] = []
            while !eventReader.atEnd { decoded.append(try eventReader.read()) }
            let labels = MessagePack.Value.map([
                (.string(Array("cluster".utf8)), .string(Array("c1".utf8))), (.string(Array("filename".utf8)), .string(Array("/p".utf8))),
            ])
            // EventTime: 0x6b09e140 = 1795809600 s; the second line 1 s and 1 ns later.
            #expect(decoded == [
                .array([.ext(type: 0, data: [0x6b, 0x09, 0xe1, 0x40, 0, 0, 0, 0]), .map([(.string(Array("log".utf8)), .string(Array("first".utf8))), (.string(Array("labels".utf8)), labels)])]),
                .array([.ext(type: 0, data: [0x6b, 0x09, 0xe1, 0x41, 0, 0, 0, 1]), .map([(.string(Array("log".utf8)), .string(Array("sécond".utf8))), (.string(Array("labels".utf8)), labels)])]),
            ])
        }
    }

    @Test func aWrongAckIsRetried() async throws {
        let answered = TCPReceiverCounter()
        try await TCPReceiver.with(reply: { bytes in
            guard let good = Self.acknowledge(bytes) else { return nil }
            // The first answer acknowledges another chunk: the batch must be sent again.
            if answered.next() == 0 {
                var writer = MessagePack.Writer()
                writer.write(.map([(.string(Array("ack".utf8)), .string(Array("other".utf8)))]))
                return writer.bytes
            }
            return good
        }) { receiver in
            let forward = ForwardOutputConfig(address: "127.0.0.1:\(receiver.port)")
            let config = SenderHarness.config(.forward(forward))
            let metrics = try await SenderHarness.run(ForwardOutput(config: forward, timeout: .seconds(10)), config: config, lines: ["a"])
            #expect(receiver.connections.count == 2)
            #expect(metrics.linesRetried.value == 1)
            #expect(metrics.linesSent.value == 1)
        }
    }
}
