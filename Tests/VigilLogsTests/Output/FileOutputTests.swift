import Foundation
import Testing
import VigilConfig
import VigilTestSupport
@testable import VigilLogs

@Suite struct FileOutputTests {
    @Test func appendsJSONLines() async throws {
        let directory = try TemporaryDirectory()
        var file = FileOutputConfig(path: directory.path + "/out.log")
        file.format = .json
        let config = SenderHarness.config(.file(file))
        try "existing\n".write(toFile: file.path, atomically: false, encoding: .utf8)
        _ = try await SenderHarness.run(FileOutput(target: .file(file), format: .json), config: config, lines: ["a\tb", "c"])
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(text == """
            existing
            {"timestamp":"2026-11-27T20:00:00.000000000Z","labels":{"cluster":"c1","filename":"/p"},"line":"a\\tb"}
            {"timestamp":"2026-11-27T20:00:01.000000001Z","labels":{"cluster":"c1","filename":"/p"},"line":"c"}

            """)
    }

    @Test func rotatesBySizeKeepingMaxFiles() async throws {
        let directory = try TemporaryDirectory()
        var file = FileOutputConfig(path: directory.path + "/out.log")
        file.maxSize = ByteSize(bytes: 4096)
        file.maxFiles = 2
        let output = FileOutput(target: .file(file), format: .raw)
        // Five batches of 2000 bytes: each file holds at most two.
        for batch in 0..<5 {
            let line = Array(String(repeating: Character(String(batch)), count: 1999).utf8)
            try await output.send(output.encode([OutputEntry(timestamp: 0, line: line, labels: [])]).request)
        }
        await output.close()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["out.log", "out.log.1", "out.log.2"])
        let current = try String(contentsOfFile: file.path, encoding: .utf8)
        let previous = try String(contentsOfFile: file.path + ".1", encoding: .utf8)
        let oldest = try String(contentsOfFile: file.path + ".2", encoding: .utf8)
        #expect(current.first == "4" && current.count == 2000)
        #expect(previous.first == "2" && previous.count == 4000 && previous.last == "\n")
        #expect(oldest.first == "0" && oldest.count == 4000)
    }

    @Test func rawLinesForStdout() {
        let output = FileOutput(target: .standardOutput, format: .raw)
        let (bytes, count) = output.encode([
            OutputEntry(timestamp: 0, line: Array("one".utf8), labels: []), OutputEntry(timestamp: 0, line: [0xff], labels: []),
        ])
        #expect(bytes == Array("one\n".utf8) + [0xff, 0x0a])
        #expect(count == 6)
    }
}
