import Foundation
import Logging
import Testing
@testable import VigilLogging
import VigilModel

@Suite struct LogHandlerTests {
    @Test func logfmtQuotesOnlyWhenNeeded() {
        #expect(Logfmt.quoted("plain") == "plain")
        #expect(Logfmt.quoted("") == "\"\"")
        #expect(Logfmt.quoted("two words") == "\"two words\"")
        #expect(Logfmt.quoted("a=b") == "\"a=b\"")
        #expect(Logfmt.quoted("say \"hi\"\n") == "\"say \\\"hi\\\"\\n\"")
    }

    @Test func jsonEscapesControlCharacters() {
        #expect(JSONQuoting.quote("a\"b\\c\n\u{01}") == "\"a\\\"b\\\\c\\n\\u0001\"")
        #expect(JSONQuoting.quote("Grüße") == "\"Grüße\"")
    }

    /// The lines both formats write, read back from a file.
    @Test func bothFormatsWriteOneLinePerEvent() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-log-\(UUID().uuidString)").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer {
            close(descriptor)
            unlink(path)
        }
        for format in [LogFormat.logfmt, .json] {
            var handler = LineLogHandler(label: "tsdb", level: .info, format: format, output: LogOutput(fileDescriptor: descriptor))
            handler[metadataKey: "dir"] = "data dir"
            handler.log(
                event: LogEvent(
                    level: .warning, message: "WAL \"damaged\"", metadata: ["segment": "7"], source: "test", file: #fileID,
                    function: #function, line: #line))
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("ts=20") && lines[0].hasSuffix(#" level=warn logger=tsdb msg="WAL \"damaged\"" dir="data dir" segment=7"#))
        #expect(lines[1].hasPrefix(#"{"ts":"20"#) && lines[1].hasSuffix(#","level":"warn","logger":"tsdb","msg":"WAL \"damaged\"","dir":"data dir","segment":"7"}"#))
    }
}
