import Foundation
import Testing
import VigilConfig
import VigilModel
import VigilTestSupport
@testable import VigilLogs

@Suite struct SyslogOutputTests {
    /// The output `OutputFactory` builds for `syslog`.
    static func output(_ syslog: SyslogOutputConfig) throws -> SyslogOutput {
        SyslogOutput(
            config: syslog, timeout: .seconds(5),
            connection: syslog.transport == .tcp ? try OutputFactory.stream(syslog.address, syslog.tls, timeout: .seconds(5)) : nil)
    }

    @Test func tcpFramesRFC5424MessagesWithOctetCounting() async throws {
        try await TCPReceiver.with { receiver in
            var syslog = SyslogOutputConfig(address: "127.0.0.1:\(receiver.port)")
            syslog.facility = "local3"
            syslog.severity = "warning"
            syslog.hostname = "node-1"
            let config = SenderHarness.config(.syslog(syslog))
            let metrics = try await SenderHarness.run(try Self.output(syslog), config: config, lines: ["hello", "wörld"])
            #expect(metrics.linesSent.value == 2)
            let received = await eventually { receiver.connections.count == 1 }
            #expect(received)
            let text = String(decoding: receiver.connections.first ?? [], as: UTF8.self)
            // local3 (19) * 8 + warning (4) = 156.
            let first = "<156>1 2026-11-27T20:00:00.000000Z node-1 vigil - - - hello"
            let second = "<156>1 2026-11-27T20:00:01.000000Z node-1 vigil - - - wörld"
            #expect(text == "\(first.utf8.count) \(first)\(second.utf8.count) \(second)")
        }
    }

    @Test func udpSendsOneDatagramPerMessageAndTakesAppNameFromALabel() async throws {
        try await UDPReceiver.with { receiver in
            var syslog = SyslogOutputConfig(address: "127.0.0.1:\(receiver.port)")
            syslog.transport = .udp
            syslog.hostname = "h"
            syslog.appNameLabel = "cluster"
            let config = SenderHarness.config(.syslog(syslog))
            _ = try await SenderHarness.run(try Self.output(syslog), config: config, lines: ["a", "b"])
            let received = await eventually { receiver.datagrams.count == 2 }
            #expect(received)
            let texts = receiver.datagrams.map { String(decoding: $0, as: UTF8.self) }
            #expect(texts == [
                "<14>1 2026-11-27T20:00:00.000000Z h c1 - - - a", "<14>1 2026-11-27T20:00:01.000000Z h c1 - - - b",
            ])
        }
    }

    @Test func anUnreachableReceiverIsRetriedThenDroppedAfterMaxRetries() async throws {
        // Port 9 (discard) on loopback: nothing listens, the connection is refused.
        let syslog = SyslogOutputConfig(address: "127.0.0.1:9")
        var config = SenderHarness.config(.syslog(syslog))
        config.maxRetries = 1
        let metrics = try await SenderHarness.run(try Self.output(syslog), config: config, lines: ["x"])
        #expect(metrics.requests.value == 2)
        #expect(metrics.droppedRetriesExhausted.value == 1)
    }

    @Test func tlsCarriesTheSameFramingOverOneConnection() async throws {
        let certificate = try TestCertificate.selfSigned()
        try await TCPReceiver.with(tls: try TCPReceiver.serverTLS(certificate)) { receiver in
            let directory = try TemporaryDirectory()
            var syslog = SyslogOutputConfig(address: "127.0.0.1:\(receiver.port)")
            syslog.hostname = "node-1"
            syslog.tls = StreamTLSConfig(enabled: true)
            syslog.tls.config.caFile = try directory.write("ca.pem", certificate.certificatePEM)
            var config = SenderHarness.config(.syslog(syslog))
            config.batchSize = ByteSize(bytes: 1024)
            let long = String(repeating: "z", count: 1100)
            let metrics = try await SenderHarness.run(try Self.output(syslog), config: config, lines: [long, long])
            #expect(metrics.linesSent.value == 2)
            #expect(await eventually { receiver.connections.count == 1 })
            #expect(receiver.connectionCount == 1)
            let text = String(decoding: receiver.connections.first ?? [], as: UTF8.self)
            #expect(text.hasPrefix("1153 <14>1 2026-11-27T20:00:00.000000Z node-1 vigil - - - zzz"))
            #expect(text.components(separatedBy: "1153 <14>1").count == 3)
        }
    }

    @Test func anUntrustedCertificateIsNotSentTo() async throws {
        let certificate = try TestCertificate.selfSigned()
        try await TCPReceiver.with(tls: try TCPReceiver.serverTLS(certificate)) { receiver in
            var syslog = SyslogOutputConfig(address: "127.0.0.1:\(receiver.port)")
            syslog.tls = StreamTLSConfig(enabled: true)
            var config = SenderHarness.config(.syslog(syslog))
            config.maxRetries = 1
            let metrics = try await SenderHarness.run(try Self.output(syslog), config: config, lines: ["private"])
            #expect(metrics.droppedRetriesExhausted.value == 1)
            #expect(receiver.connections.allSatisfy { !String(decoding: $0, as: UTF8.self).contains("private") })
        }
    }
}
