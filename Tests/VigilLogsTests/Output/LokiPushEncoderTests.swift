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
        let body = LokiPushEncoder.json([frame], extraLabels: ["cluster": "c1"])
        let text = String(decoding: body, as: UTF8.self)
        #expect(text == #"{"streams":[{"stream":{"cluster":"c1","filename":"/p","stream":"stdout"},"values":[["10","a \"quoted\"\n\tline"],["12","\#u{FFFD}A"]]},{"stream":{"cluster":"c1","filename":"/p","stream":"stderr"},"values":[["11","b"]]}]}"#)
        #expect(try JSONSerialization.jsonObject(with: Data(body)) is [String: Any])
    }
}
