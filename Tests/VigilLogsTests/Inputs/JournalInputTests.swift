import Foundation
import Testing
import VigilConfig
import VigilTestSupport
@testable import VigilLogs

@Suite struct JournalInputTests {
    /// Two entries as `journalctl -o export` writes them; the second's MESSAGE is binary (it holds a newline).
    static func fixture(cursorPrefix: String = "s=abc;i=") -> [UInt8] {
        var bytes = Array("""
            __CURSOR=\(cursorPrefix)1
            __REALTIME_TIMESTAMP=1700000000123456
            __MONOTONIC_TIMESTAMP=42
            _HOSTNAME=node-1
            _SYSTEMD_UNIT=ssh.service
            SYSLOG_IDENTIFIER=sshd
            PRIORITY=6
            SYSLOG_FACILITY=4
            MESSAGE=Accepted publickey for root

            __CURSOR=\(cursorPrefix)2
            __REALTIME_TIMESTAMP=1700000001000000
            PRIORITY=3

            """.utf8)
        let message = Array("line one\nline two".utf8)
        bytes += Array("MESSAGE\n".utf8)
        var length = UInt64(message.count)
        for _ in 0..<8 {
            bytes.append(UInt8(length & 0xff))
            length >>= 8
        }
        bytes += message + [0x0a, 0x0a]
        return bytes
    }

    @Test(arguments: [1, 5, 13, 4096])
    func parsesTextAndBinaryFieldsInAnyPieces(piece: Int) throws {
        var parser = JournalExportParser(maxEntrySize: 1 << 20)
        let bytes = Self.fixture()
        var entries: [JournalExportParser.Entry] = []
        var index = 0
        while index < bytes.count {
            parser.append(bytes[index..<min(bytes.count, index + piece)])
            index += piece
            while let entry = try parser.next() { entries.append(entry) }
        }
        #expect(entries.count == 2)
        #expect(entries[0].text("_SYSTEMD_UNIT") == "ssh.service")
        #expect(entries[1].text("MESSAGE") == "line one\nline two")
        let (record, labels) = JournalInput.record(entries[0])
        #expect(record.timestamp == 1_700_000_000_123_456_000)
        #expect(String(decoding: record.line, as: UTF8.self) == "Accepted publickey for root")
        #expect(labels == ["unit": "ssh.service", "hostname": "node-1", "app_name": "sshd", "severity": "info", "facility": "auth"])
    }

    @Test func oversizedEntriesKeepOnlyTheCursorAndBadFramingFails() throws {
        var parser = JournalExportParser(maxEntrySize: 64)
        parser.append(Array("__CURSOR=c1\nMESSAGE=\(String(repeating: "x", count: 100))\nA=b\n\n".utf8))
        let entry = try #require(try parser.next())
        #expect(entry.isOversized)
        #expect(entry.fields.map(\.name) == ["__CURSOR"])
        var broken = JournalExportParser(maxEntrySize: 64)
        broken.append(Array("BIN\n".utf8) + [3, 0, 0, 0, 0, 0, 0, 0] + Array("abcX".utf8))
        #expect(throws: SyslogParseError(message: "a binary field's data is not followed by a newline", offset: 15)) {
            try broken.next()
        }
    }

    @Test func fuzzedStreamsParseOrThrowNeverCrash() {
        var random = SplitMix64(seed: 1985)
        let seed = Self.fixture()
        for _ in 0..<2000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            var parser = JournalExportParser(maxEntrySize: 256)
            parser.append(bytes)
            var count = 0
            while let _ = try? parser.next() { count += 1 }
            #expect(count <= 4)
        }
    }

    /// A fake `journalctl` that records its arguments and prints the fixture, then waits to be stopped.
    func fakeJournalctl(in directory: borrowing TemporaryDirectory) throws -> String {
        let fixture = directory.path + "/export.bin"
        FileManager.default.createFile(atPath: fixture, contents: Data(Self.fixture()))
        let script = try directory.writeProgram(
            "journalctl", "#!/bin/sh\necho \"$@\" >> \(directory.path)/args\ncat \(fixture)\nexec sleep 600\n")
        return script
    }

    @Test func followsJournalctlAndResumesAfterTheCursor() async throws {
        let directory = try TemporaryDirectory()
        let script = try fakeJournalctl(in: directory)
        let harness = try InputHarness(directory: directory.path)
        var config = JournalInputConfig(name: "in", journalctl: script)
        config.units = ["ssh.service"]
        let first = JournalInput(config: config, context: harness.context, checkpoint: nil)
        let task = Task { try await first.run() }
        let read = await eventually(timeout: .seconds(300)) { harness.texts.count == 2 }
        task.cancel()
        _ = await task.result
        #expect(read)
        #expect(harness.texts == ["Accepted publickey for root", "line one\nline two"])
        #expect(harness.frames.last?.checkpoint == .journal(input: "in", cursor: "s=abc;i=2"))
        let resumed = JournalInput(config: config, context: harness.context, checkpoint: harness.frames.last?.checkpoint)
        #expect(resumed.arguments(after: resumed.startCursor).contains("--after-cursor=s=abc;i=2"))
        let args = String(decoding: FileManager.default.contents(atPath: directory.path + "/args") ?? Data(), as: UTF8.self)
        #expect(args == "--output=export --follow --no-pager --since=now --unit=ssh.service\n")
    }

    @Test func withoutJournalctlTheInputIsSkipped() async throws {
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        let input = JournalInput(
            config: JournalInputConfig(name: "in", journalctl: directory.path + "/no-journalctl"), context: harness.context,
            checkpoint: nil)
        try await input.run()
        #expect(harness.frames.isEmpty)
    }
}
