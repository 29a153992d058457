import Crypto
import Foundation
import Testing
import VigilConfig
import VigilModel
import VigilTestSupport
@testable import VigilLogs

@Suite struct ForwardOutputTests {
    /// The output `OutputFactory` builds for `forward`: its connection, TLS and handshake.
    static func output(_ forward: ForwardOutputConfig) throws -> ForwardOutput {
        ForwardOutput(
            config: forward,
            connection: try OutputFactory.stream(
                forward.address, forward.tls, timeout: .seconds(10), handshake: OutputFactory.forwardHandshake(forward)))
    }

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
            let output = try Self.output(forward)
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
            let metrics = try await SenderHarness.run(Self.output(forward), config: config, lines: ["a"])
            #expect(receiver.connections.count == 2)
            #expect(metrics.linesRetried.value == 1)
            #expect(metrics.linesSent.value == 1)
        }
    }

    @Test func batchesShareOneConnection() async throws {
        try await TCPReceiver.with(reply: Self.acknowledge) { receiver in
            let forward = ForwardOutputConfig(address: "127.0.0.1:\(receiver.port)")
            var config = SenderHarness.config(.forward(forward))
            config.batchSize = ByteSize(bytes: 1024)
            let long = String(repeating: "x", count: 1100)
            let metrics = try await SenderHarness.run(try Self.output(forward), config: config, lines: [long, long, long])
            #expect(metrics.linesSent.value == 3)
            #expect(receiver.connections.count == 3, "one request per batch")
            #expect(receiver.connectionCount == 1)
        }
    }

    /// What Fluentd's `in_forward` with `<security> shared_key` does, written from the spec: HELO
    /// on connect, the PING's digest checked, a PONG proving the key, then acks.
    static func secureServer(key: String, nonce: [UInt8], auth: [UInt8] = [], users: [String: String] = [:]) -> (
        greeting: [UInt8], reply: @Sendable ([UInt8]) -> [UInt8]?
    ) {
        var helo = MessagePack.Writer()
        helo.write(.array([
            .string(Array("HELO".utf8)),
            .map([
                (.string(Array("nonce".utf8)), .binary(nonce)), (.string(Array("auth".utf8)), .binary(auth)),
                (.string(Array("keepalive".utf8)), .bool(true)),
            ]),
        ]))
        let reply: @Sendable ([UInt8]) -> [UInt8]? = { bytes in
            var reader = MessagePack.Reader(bytes)
            guard let message = try? reader.read(), case .array(let fields) = message else { return nil }
            guard fields.first?.text == "PING" else { return Self.acknowledge(bytes) }
            func sha512(_ text: [UInt8]) -> String { SHA512.hash(data: text).map { String(format: "%02x", $0) }.joined() }
            let client = Array((fields[1].text ?? "").utf8)
            let salt = Array((fields[2].text ?? "").utf8)
            var ok = fields[3].text == sha512(salt + client + nonce + Array(key.utf8))
            var reason = ok ? "" : "shared key mismatch"
            if ok && !auth.isEmpty {
                let user = fields[4].text ?? ""
                ok = fields[5].text == sha512(auth + Array(user.utf8) + Array((users[user] ?? "\u{0}").utf8))
                reason = ok ? "" : "username/password mismatch"
            }
            var pong = MessagePack.Writer()
            pong.write(.array([
                .string(Array("PONG".utf8)), .bool(ok), .string(Array(reason.utf8)), .string(Array("aggregator".utf8)),
                .string(Array((ok ? sha512(salt + Array("aggregator".utf8) + nonce + Array(key.utf8)) : "").utf8)),
            ]))
            return pong.bytes
        }
        return (helo.bytes, reply)
    }

    @Test func sha512HexIsTheStandardDigest() {
        #expect(
            ForwardHandshake.sha512Hex([Array("a".utf8), Array("bc".utf8)])
                == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
    }

    @Test func theSharedKeyHandshakeRunsOverTLSOncePerConnection() async throws {
        let certificate = try TestCertificate.selfSigned()
        let server = Self.secureServer(key: "s3cret", nonce: [0, 1, 2, 250, 251], auth: Array("salt".utf8), users: ["vigil": "pw"])
        try await TCPReceiver.with(tls: try TCPReceiver.serverTLS(certificate), greeting: server.greeting, reply: server.reply) { receiver in
            let directory = try TemporaryDirectory()
            var forward = ForwardOutputConfig(address: "localhost:\(receiver.port)")
            forward.tls = StreamTLSConfig(enabled: true)
            forward.tls.config.ca = certificate.certificatePEM
            forward.sharedKeyFile = try directory.write("key", "s3cret\n")
            forward.selfHostname = "node-1"
            forward.username = "vigil"
            forward.password = Secret("pw")
            var config = SenderHarness.config(.forward(forward))
            config.batchSize = ByteSize(bytes: 1024)
            let long = String(repeating: "y", count: 1100)
            let metrics = try await SenderHarness.run(try Self.output(forward), config: config, lines: [long, long])
            #expect(metrics.linesSent.value == 2)
            #expect(metrics.linesRetried.value == 0)
            #expect(receiver.connectionCount == 1)
            // The PING, then two batches.
            #expect(receiver.connections.count == 3)
            var reader = MessagePack.Reader(receiver.connections.first ?? [])
            let ping = try reader.read()
            guard case .array(let fields) = ping else { Issue.record("not an array: \(ping)"); return }
            #expect(fields.count == 6 && fields[0].text == "PING" && fields[1].text == "node-1" && fields[4].text == "vigil")
            #expect(fields[2].text?.count == 32, "a 16-byte salt in hex")
        }
    }

    @Test func aWrongSharedKeyDeliversNothing() async throws {
        let server = Self.secureServer(key: "right", nonce: Array("n0nce".utf8))
        try await TCPReceiver.with(greeting: server.greeting, reply: server.reply) { receiver in
            var forward = ForwardOutputConfig(address: "127.0.0.1:\(receiver.port)")
            forward.sharedKey = Secret("wrong")
            forward.selfHostname = "node-1"
            var config = SenderHarness.config(.forward(forward))
            config.maxRetries = 1
            let metrics = try await SenderHarness.run(try Self.output(forward), config: config, lines: ["secret line"])
            #expect(metrics.linesSent.value == 0)
            #expect(metrics.droppedRetriesExhausted.value == 1)
            // Only PINGs reached the server, never the line.
            #expect(receiver.connections.allSatisfy { !String(decoding: $0, as: UTF8.self).contains("secret line") })
            #expect(receiver.connectionCount == 2)
        }
    }

    @Test func aServerThatDoesNotKnowTheKeyIsRefused() async throws {
        // It answers PONG with a digest made from another key: the client must not send.
        let server = Self.secureServer(key: "theirs", nonce: Array("n0nce".utf8))
        let lying: @Sendable ([UInt8]) -> [UInt8]? = { bytes in
            var reader = MessagePack.Reader(bytes)
            guard let message = try? reader.read(), case .array(let fields) = message, fields.first?.text == "PING" else {
                return Self.acknowledge(bytes)
            }
            var pong = MessagePack.Writer()
            pong.write(.array([
                .string(Array("PONG".utf8)), .bool(true), .string([]), .string(Array("aggregator".utf8)),
                .string(Array(String(repeating: "0", count: 128).utf8)),
            ]))
            return pong.bytes
        }
        try await TCPReceiver.with(greeting: server.greeting, reply: lying) { receiver in
            var forward = ForwardOutputConfig(address: "127.0.0.1:\(receiver.port)")
            forward.sharedKey = Secret("ours")
            var config = SenderHarness.config(.forward(forward))
            config.maxRetries = 1
            let metrics = try await SenderHarness.run(try Self.output(forward), config: config, lines: ["never sent"])
            #expect(metrics.linesSent.value == 0)
            #expect(receiver.connections.allSatisfy { !String(decoding: $0, as: UTF8.self).contains("never sent") })
        }
    }
}
