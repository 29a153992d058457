import Foundation
import Testing
@testable import VigilLogs

@Suite struct LokiPushEncoderTests {
    @Test func groupsLinesIntoStreams() throws {
        let checkpoint = FileCheckpoint(
            input: "in", identity: FileIdentity(device: 1, inode: 2, fingerprint: 3, fingerprintLength: 4), offset: 9,
            path: "/p", labelPath: "/p")
        let frame = BufferFrame(
            sequence: 1, checkpoint: checkpoint, labels: [(name: "filename", value: "/p")],
            records: [
                LogRecord(timestamp: 10, stream: .stdout, line: Array("a \"quoted\"\n\tline".utf8)),
                LogRecord(timestamp: 11, stream: .stderr, line: Array("b".utf8)),
                LogRecord(timestamp: 12, stream: .stdout, line: [0xff, 0x41]),
            ])
        let body = LokiPushEncoder.json(OutputEntry.entries([frame], extraLabels: ["cluster": "c1"]))
        let text = String(decoding: body, as: UTF8.self)
        #expect(text == #"{"streams":[{"stream":{"cluster":"c1","filename":"/p","stream":"stdout"},"values":[["10","a \"quoted\"\n\tline"],["12","\#u{FFFD}A"]]},{"stream":{"cluster":"c1","filename":"/p","stream":"stderr"},"values":[["11","b"]]}]}"#)
        #expect(try JSONSerialization.jsonObject(with: Data(body)) is [String: Any])

        let decoded = try #require(LokiProtobufDecoder.decode(LokiPushEncoder.protobuf(OutputEntry.entries([frame], extraLabels: ["cluster": "c1"]))))
        #expect(decoded.map(\.labels) == [
            #"{cluster="c1", filename="/p", stream="stdout"}"#, #"{cluster="c1", filename="/p", stream="stderr"}"#,
        ])
        #expect(decoded.first?.entries.first?.nanoseconds == 10)
        #expect(decoded.first?.entries.first?.line == "a \"quoted\"\n\tline")
    }

    @Test func encodesTimestampsAsSecondsAndNanos() throws {
        let checkpoint = FileCheckpoint(
            input: "in", identity: FileIdentity(device: 1, inode: 2, fingerprint: 3, fingerprintLength: 4), offset: 9,
            path: "/p", labelPath: "/p")
        let frame = BufferFrame(
            sequence: 1, checkpoint: checkpoint, labels: [],
            records: [LogRecord(timestamp: 1_700_000_000_123_456_789, line: Array("x".utf8))])
        let decoded = try #require(LokiProtobufDecoder.decode(LokiPushEncoder.protobuf(OutputEntry.entries([frame], extraLabels: [:]))))
        #expect(decoded.first?.labels == "{}")
        #expect(decoded.first?.entries.first?.nanoseconds == 1_700_000_000_123_456_789)
    }
}
