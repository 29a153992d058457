import Testing
import VigilModel
@testable import VigilLogs

@Suite struct BufferFrameRecordFieldsTests {
    func frame(_ records: [LogRecord]) -> BufferFrame {
        BufferFrame(
            sequence: 7,
            checkpoint: FileCheckpoint(
                input: "in", identity: FileIdentity(device: 1, inode: 2, fingerprint: 3, fingerprintLength: 4),
                offset: 99, path: "/var/log/a.log", labelPath: "/var/log/a.log"),
            labels: [(name: "filename", value: "/var/log/a.log"), (name: "level", value: "frame")],
            records: records)
    }

    func decode(_ bytes: [UInt8]) -> BufferFrame? {
        Array(bytes[BufferFrame.headerSize...]).withUnsafeBytes { BufferFrame.decode($0) }
    }

    @Test func recordLabelsAndMetadataRoundTrip() throws {
        let original = frame([
            LogRecord(timestamp: 1, stream: .stdout, line: Array("a".utf8), labels: [LogField("level", "error")],
                      metadata: [LogField("trace_id", "t1"), LogField("user", "ünï")]),
            LogRecord(timestamp: 2, line: Array("b".utf8)),
        ])
        let decoded = try #require(decode(original.encoded()))
        #expect(decoded == original)
        #expect(decoded.records[0].metadata == [LogField("trace_id", "t1"), LogField("user", "ünï")])
        // The record's label overrides the frame's; stream is added for container logs.
        #expect(decoded.labels(of: decoded.records[0]) == ["filename": "/var/log/a.log", "level": "error", "stream": "stdout"])
        #expect(decoded.labels(of: decoded.records[1]) == ["filename": "/var/log/a.log", "level": "frame"])
    }

    @Test func framesWithoutFieldsKeepTheEarlierFormat() throws {
        let plain = frame([LogRecord(timestamp: 1, line: Array("a".utf8))])
        var withField = plain
        withField.records[0].metadata = [LogField("k", "v")]
        // No marker and no per-record bytes when nothing uses the section.
        #expect(withField.encoded().count == plain.encoded().count + 1 + 1 + 1 + 2 + 2)
        #expect(decode(plain.encoded()) == plain)
    }

    @Test func aMalformedSectionIsRejected() {
        let original = frame([LogRecord(timestamp: 1, line: Array("a".utf8), labels: [LogField("x", "y")])])
        let payload = Array(original.encoded()[BufferFrame.headerSize...])
        for cut in 1..<7 {
            let shortened = Array(payload.dropLast(cut))
            #expect(shortened.withUnsafeBytes { BufferFrame.decode($0) } == nil)
        }
        #expect((payload + [0]).withUnsafeBytes { BufferFrame.decode($0) } == nil)
        var badMarker = Array(frame([LogRecord(timestamp: 1, line: Array("a".utf8))]).encoded()[BufferFrame.headerSize...])
        badMarker.append(0x02)
        #expect(badMarker.withUnsafeBytes { BufferFrame.decode($0) } == nil)
    }
}
