import Foundation
import NIOCore
import Synchronization
import Testing
import VigilConfig
import VigilTestSupport
@testable import VigilLogs

@Suite struct SyslogInputTests {
    /// Runs a syslog input with `config` while `body` sends to it (given the bound port), on a
    /// thread of its own, since its socket calls block.
    func withInput(
        _ config: SyslogInputConfig, harness: InputHarness, _ body: @escaping @Sendable (Int) throws -> Void, until count: Int
    ) async throws -> Bool {
        let (addresses, continuation) = AsyncStream<SocketAddress?>.makeStream()
        let input = SyslogInput(config: config, context: harness.context) { continuation.yield($0) }
        let task = Task { try await input.run() }
        var iterator = addresses.makeAsyncIterator()
        let address = await iterator.next() ?? nil
        let port = address?.port ?? 0
        try await onDedicatedThread { try body(port) }
        let done = await eventually(timeout: .seconds(300)) { harness.texts.count >= count }
        task.cancel()
        _ = await task.result
        return done
    }

    func socketAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    func send(udp port: Int, _ messages: [String]) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = socketAddress(port: port)
        for message in messages {
            _ = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                    message.withCString { sendto(fd, $0, strlen($0), 0, sockaddrPointer, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
            }
        }
    }

    func send(stream fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let written = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            done += written
        }
    }

    func connectTCP(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = socketAddress(port: port)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return fd
    }

    func connectUnix(_ path: String, type: Int32) -> Int32 {
        let fd = socket(AF_UNIX, type, 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return fd
    }

    @Test func udpMessagesBecomeLabelledLinesAndBadOnesAreCounted() async throws {
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        var config = SyslogInputConfig(name: "in", mode: .udp, address: ListenAddress(host: "127.0.0.1", port: 0))
        config.labels = ["job": "syslog"]
        config.batchWait = PromDuration(milliseconds: 20)
        let done = try await withInput(config, harness: harness, { port in
            send(udp: port, [
                "<165>1 2003-10-11T22:14:15.003Z mymachine evntslog 4711 ID47 [ex@1 a=\"b\"] An event",
                "<999>broken", "<38>Nov 27 10:03:04 web-1 sshd[2211]: Accepted",
            ])
        }, until: 2)
        #expect(done)
        let lines = harness.lines.sorted { $0.record.line.count > $1.record.line.count }
        #expect(String(decoding: lines[0].record.line, as: UTF8.self) == "[ex@1 a=\"b\"] An event")
        #expect(lines[0].labels == [
            "job": "syslog", "facility": "local4", "severity": "notice", "hostname": "mymachine", "app_name": "evntslog",
            "msgid": "ID47",
        ])
        #expect(lines[0].record.timestamp == 1_065_910_455_003_000_000)
        #expect(lines[1].labels["app_name"] == "sshd" && lines[1].labels["facility"] == "auth")
        let counted = await eventually(timeout: .seconds(300)) { harness.errors("malformed") == 1 }
        #expect(counted)
        let unacknowledged = harness.frames.allSatisfy { $0.checkpoint == .none(input: "in") }
        #expect(unacknowledged)
    }

    @Test(arguments: [SyslogInputConfig.Framing.auto, .octetCounted, .newline])
    func tcpFramings(framing: SyslogInputConfig.Framing) async throws {
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        var config = SyslogInputConfig(name: "in", mode: .tcp, address: ListenAddress(host: "127.0.0.1", port: 0))
        config.framing = framing
        config.batchWait = PromDuration(milliseconds: 20)
        let messages = (0..<50).map { "<14>1 - host app - - - message \($0)" }
        let done = try await withInput(config, harness: harness, { port in
            let fd = connectTCP(port)
            defer { close(fd) }
            for message in messages {
                switch framing {
                case .octetCounted: send(stream: fd, "\(message.utf8.count) \(message)")
                case .newline: send(stream: fd, message + "\n")
                case .auto: send(stream: fd, message.hasSuffix("0") ? "\(message.utf8.count) \(message)" : message + "\n")
                }
            }
        }, until: 50)
        #expect(done)
        let expected = messages.map { "message " + $0.split(separator: " ").last! }
        #expect(harness.texts == expected)
    }

    @Test func aTCPFramingErrorClosesOnlyThatConnection() async throws {
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        var config = SyslogInputConfig(name: "in", mode: .tcp, address: ListenAddress(host: "127.0.0.1", port: 0))
        config.maxMessageSize = ByteSize(bytes: 1024)
        config.batchWait = PromDuration(milliseconds: 20)
        let done = try await withInput(config, harness: harness, { port in
            let bad = connectTCP(port)
            send(stream: bad, "5 <1>ok99999999 <1>too big")
            let good = connectTCP(port)
            send(stream: good, "<13>fine\n")
            close(good)
            close(bad)
        }, until: 2)
        #expect(done)
        #expect(Set(harness.texts) == ["ok", "fine"])
        let counted = await eventually(timeout: .seconds(300)) { harness.errors("framing") == 1 }
        #expect(counted)
    }

    @Test func unixDatagramAndStreamSockets() async throws {
        let directory = try TemporaryDirectory()
        let datagramHarness = try InputHarness(directory: directory.path + "/d")
        var datagram = SyslogInputConfig(name: "in", mode: .unixDatagram, path: directory.path + "/log.sock")
        datagram.batchWait = PromDuration(milliseconds: 20)
        let datagramPath = datagram.path
        let datagramDone = try await withInput(datagram, harness: datagramHarness, { _ in
            let fd = connectUnix(datagramPath, type: Int32(SOCK_DGRAM.rawValue))
            send(stream: fd, "<13>Nov  7 01:02:03 myapp: over a unix datagram")
            close(fd)
        }, until: 1)
        #expect(datagramDone)
        #expect(datagramHarness.texts == ["over a unix datagram"])
        #expect(datagramHarness.lines.first?.labels["app_name"] == "myapp")

        let streamHarness = try InputHarness(directory: directory.path + "/s")
        var stream = SyslogInputConfig(name: "in", mode: .unixStream, path: directory.path + "/stream.sock")
        stream.batchWait = PromDuration(milliseconds: 20)
        let streamPath = stream.path
        let streamDone = try await withInput(stream, harness: streamHarness, { _ in
            let fd = connectUnix(streamPath, type: Int32(SOCK_STREAM.rawValue))
            send(stream: fd, "<13>one\n<13>two\n")
            close(fd)
        }, until: 2)
        #expect(streamDone)
        #expect(streamHarness.texts == ["one", "two"])
    }

    @Test func idleConnectionsAreClosed() async throws {
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        var config = SyslogInputConfig(name: "in", mode: .tcp, address: ListenAddress(host: "127.0.0.1", port: 0))
        config.idleTimeout = PromDuration(milliseconds: 200)
        let closedByServer = Mutex(false)
        _ = try await withInput(config, harness: harness, { port in
            let fd = connectTCP(port)
            var byte: UInt8 = 0
            // Blocks until the server closes the idle connection: read returns 0.
            let closed = read(fd, &byte, 1) == 0
            closedByServer.withLock { $0 = closed }
            close(fd)
        }, until: 0)
        #expect(closedByServer.withLock { $0 })
    }
}
