import Foundation
import Testing
import VigilConfig
import VigilTestSupport
@testable import VigilLogs

@Suite struct KmsgInputTests {
    static let fixture = """
        6,1001,5000000,-;Linux version 6.1.0 (debian-kernel@lists.debian.org)
        3,1002,5100000,-;ata1: SATA link down
         SUBSYSTEM=scsi
         DEVICE=+scsi:host0
        30,1003,6000000,c;systemd[1]: Started Journal Service.
        4,1004,7000123,-;Out of memory: Killed process 4242 (java) \\x0a total-vm:1kB

        """

    @Test func parsesRecordPrefixes() throws {
        let record = try KmsgRecord.parse(Array("30,1003,6000000,c;systemd[1]: ok".utf8)[...])
        #expect(record.priority.facilityName == "daemon" && record.priority.severityName == "info")
        #expect(record.sequence == 1003 && record.microseconds == 6_000_000 && record.flags == "c")
        #expect(String(decoding: record.message, as: UTF8.self) == "systemd[1]: ok")
        #expect(throws: SyslogParseError.self) { try KmsgRecord.parse(Array("no prefix here".utf8)[...]) }
        #expect(throws: SyslogParseError(message: "seq is not a number", offset: 2)) {
            try KmsgRecord.parse(Array("6,x,1,-;m".utf8)[...])
        }
    }

    func run(_ input: KmsgInput, until condition: @escaping () -> Bool) async throws -> Bool {
        let task = Task { try await input.run() }
        let done = await eventually(timeout: .seconds(300)) { condition() }
        task.cancel()
        _ = await task.result
        return done
    }

    @Test func readsAFixtureWithLabelsTimesAndCheckpoints() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("kmsg", Self.fixture)
        let bootID = try directory.write("boot_id", "0f4f9e7c-1111-2222-3333-444455556666\n")
        let harness = try InputHarness(directory: directory.path)
        let config = KmsgInputConfig(name: "in", path: path, bootIDPath: bootID)
        let input = KmsgInput(config: config, context: harness.context, checkpoint: nil, bootTime: 1_000_000_000_000_000_000)
        let finished = try await run(input) { harness.texts.count == 4 }
        #expect(finished)
        #expect(harness.texts == [
            "Linux version 6.1.0 (debian-kernel@lists.debian.org)", "ata1: SATA link down",
            "systemd[1]: Started Journal Service.", "Out of memory: Killed process 4242 (java) \\x0a total-vm:1kB",
        ])
        let lines = harness.lines
        let levels = lines.map { $0.labels["level"] }
        let facilities = lines.map { $0.labels["facility"] }
        #expect(levels == ["info", "err", "info", "warning"])
        #expect(facilities == ["kern", "kern", "daemon", "kern"])
        #expect(lines[3].record.timestamp == 1_000_000_000_000_000_000 + 7_000_123_000)
        #expect(harness.frames.last?.checkpoint == .kmsg(input: "in", bootID: "0f4f9e7c-1111-2222-3333-444455556666", sequence: 1004))
    }

    @Test func aRestartInTheSameBootNeitherRepeatsNorLoses() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("kmsg", Self.fixture)
        let bootID = try directory.write("boot_id", "boot-a\n")
        let harness = try InputHarness(directory: directory.path)
        let config = KmsgInputConfig(name: "in", path: path, bootIDPath: bootID)
        let resumed = KmsgInput(
            config: config, context: harness.context, checkpoint: .kmsg(input: "in", bootID: "boot-a", sequence: 1002))
        let resumedRead = try await run(resumed) { harness.texts.count == 2 }
        #expect(resumedRead)
        #expect(harness.texts.first == "systemd[1]: Started Journal Service.")

        let other = try TemporaryDirectory()
        let otherHarness = try InputHarness(directory: other.path)
        let newBoot = KmsgInput(
            config: config, context: otherHarness.context, checkpoint: .kmsg(input: "in", bootID: "boot-b", sequence: 1003))
        let newBootRead = try await run(newBoot) { otherHarness.texts.count == 4 }
        #expect(newBootRead)
    }

    @Test func followsAFifoAndCountsMalformedRecords() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/kmsg.fifo"
        #expect(mkfifo(path, 0o600) == 0)
        let bootID = try directory.write("boot_id", "b\n")
        let harness = try InputHarness(directory: directory.path)
        let input = KmsgInput(config: KmsgInputConfig(name: "in", path: path, bootIDPath: bootID), context: harness.context, checkpoint: nil)
        let task = Task { try await input.run() }
        // Read-write: a FIFO opened write-only blocks until a reader opens it, and the reader is
        // a task that may need the very pool thread this would block.
        let writer = open(path, O_RDWR)
        #expect(writer >= 0)
        for line in ["6,1,10,-;first\n", "garbage without prefix\n", "6,2,20,-;second\n"] {
            _ = line.withCString { write(writer, $0, strlen($0)) }
        }
        let seen = await eventually(timeout: .seconds(300)) { harness.texts == ["first", "second"] }
        close(writer)
        task.cancel()
        _ = await task.result
        #expect(seen)
        #expect(harness.errors("malformed") == 1)
    }

    @Test func aMissingDeviceIsAClearError() async throws {
        let directory = try TemporaryDirectory()
        let bootID = try directory.write("boot_id", "b\n")
        let harness = try InputHarness(directory: directory.path)
        let input = KmsgInput(
            config: KmsgInputConfig(name: "kernel", path: directory.path + "/no-kmsg", bootIDPath: bootID),
            context: harness.context, checkpoint: nil)
        do {
            try await input.run()
            Issue.record("ran without a device")
        } catch {
            #expect("\(error)".contains("kmsg input kernel: cannot open \(directory.path)/no-kmsg: No such file or directory"), "\(error)")
        }
    }
}
