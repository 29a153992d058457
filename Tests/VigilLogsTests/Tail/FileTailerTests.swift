import Foundation
import Logging
import VigilConfig
import Testing
import VigilModel
import VigilTestSupport
@testable import VigilLogs

@Suite struct FileTailerTests {
    func tailer(_ directory: String, readFromHead: Bool = true, firstStart: Bool = false, format: FileInputConfig.Format = .raw,
                checkpoints: [FileCheckpoint] = [], maxLine: Int64 = 256 << 10) throws -> FileTailer {
        var config = FileInputConfig(name: "t", paths: [directory + "/*.log"], format: format, readFromHead: readFromHead)
        config.maxLineSize = .init(bytes: maxLine)
        config.rotateWait = .zero
        return FileTailer(
            config: config, checkpoints: checkpoints, isFirstStart: firstStart,
            metrics: try LogsMetrics(registry: MetricsRegistry()).input("t"), logger: Logger(label: "t"))
    }

    /// Discovers, then reads until nothing is left; the lines read, as text, with their labels.
    func poll(_ tailer: FileTailer) -> [(label: String, line: String)] {
        let now = ContinuousClock.now
        tailer.discover(now: now)
        var out: [(String, String)] = []
        var more = true
        while more {
            var chunks: [TailChunk] = []
            more = tailer.read(now: now, frameBytes: 64, budget: 1 << 20, into: &chunks)
            for chunk in chunks {
                for record in chunk.records { out.append((chunk.checkpoint.labelPath, String(decoding: record.line, as: UTF8.self))) }
            }
        }
        return out
    }

    /// A tailer that has read the first line, `1`, of `<directory>/a.log`.
    func tailerAfterOneLine(_ directory: String) throws -> (path: String, tailer: FileTailer) {
        let path = directory + "/a.log"
        try append(path, "1\n")
        let tailer = try tailer(directory)
        let lines = poll(tailer).map(\.line)
        #expect(lines == ["1"])
        return (path, tailer)
    }

    func append(_ path: String, _ text: String) throws {
        let handle = FileHandle(forWritingAtPath: path) ?? {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)!
        }()
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }

    @Test func holdsAPartialLineUntilItsNewline() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/a.log"
        try append(path, "one\ntw")
        let tailer = try tailer(directory.path)
        #expect(poll(tailer).map(\.line) == ["one"])
        try append(path, "o\nthree\n")
        #expect(poll(tailer).map(\.line) == ["two", "three"])
        #expect(tailer.checkpoints.values.first?.offset == 14)
    }

    @Test func startsAtTheEndOnTheFirstStartUnlessReadFromHead() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/a.log"
        try append(path, "old\nolder\npart")
        let tailer = try tailer(directory.path, readFromHead: false, firstStart: true)
        #expect(poll(tailer).isEmpty)
        try append(path, "ial\nnew\n")
        #expect(poll(tailer).map(\.line) == ["partial", "new"])
        // A file appearing later is read from its head.
        try append(directory.path + "/b.log", "b1\n")
        #expect(poll(tailer).map(\.line) == ["b1"])
    }

    @Test func drainsARenamedFileBeforeItsSuccessor() throws {
        let directory = try TemporaryDirectory()
        let (path, tailer) = try tailerAfterOneLine(directory.path)
        try append(path, "2\n3\n")
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try append(path, "4\n")
        try append(path + ".1", "3b\n")
        let lines = poll(tailer)
        #expect(lines.map(\.line) == ["2", "3", "3b", "4"])
        #expect(Set(lines.map(\.label)) == [path])
        // Drained and unmatched: let go (once found idle at its end).
        _ = poll(tailer)
        _ = poll(tailer)
        #expect(tailer.files.count == 1)
    }

    @Test func readsTheCopyOfACopyTruncatedFile() throws {
        let directory = try TemporaryDirectory()
        let (path, tailer) = try tailerAfterOneLine(directory.path)
        try append(path, "2\n3\n")
        try FileManager.default.copyItem(atPath: path, toPath: path + ".1")
        try Data().write(to: URL(fileURLWithPath: path))
        try append(path, "4 is longer than what was there\n")
        let lines = poll(tailer)
        #expect(lines.map(\.line) == ["2", "3", "4 is longer than what was there"])
        #expect(Set(lines.map(\.label)) == [path])
    }

    @Test func resumesFromCheckpointsAndTellsAReusedInodeApart() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/a.log"
        try append(path, "first\nsecond\n")
        let first = try tailer(directory.path)
        #expect(poll(first).count == 2)
        try append(path, "third\n")
        let resumed = try tailer(directory.path, checkpoints: Array(first.checkpoints.values))
        #expect(poll(resumed).map(\.line) == ["third"])
        // Same inode, new content (the file was rewritten): the checkpoint no longer applies.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        handle.write(Data("other\n".utf8))
        try handle.close()
        let fresh = try tailer(directory.path, checkpoints: Array(resumed.checkpoints.values))
        #expect(poll(fresh).map(\.line) == ["other"])
    }

    @Test func findsAFileRenamedWhileStopped() throws {
        let directory = try TemporaryDirectory()
        let (path, first) = try tailerAfterOneLine(directory.path)
        try append(path, "2\n")
        try FileManager.default.moveItem(atPath: path, toPath: path + ".20260101")
        try append(path, "3\n")
        let resumed = try tailer(directory.path, checkpoints: Array(first.checkpoints.values))
        let lines = poll(resumed)
        #expect(lines.map(\.line) == ["2", "3"])
        #expect(Set(lines.map(\.label)) == [path])
    }

    @Test func findsGenerationsCreatedAndRotatedAwayWhileStopped() throws {
        let directory = try TemporaryDirectory()
        let (path, first) = try tailerAfterOneLine(directory.path)
        try append(path, "2\n")
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        usleep(2000)
        try append(path, "3\n")
        try FileManager.default.moveItem(atPath: path, toPath: path + ".2")
        usleep(2000)
        try append(path, "4\n")
        try FileManager.default.moveItem(atPath: path, toPath: path + ".3")
        usleep(2000)
        try append(path, "5\n")
        let resumed = try tailer(directory.path, checkpoints: Array(first.checkpoints.values))
        let lines = poll(resumed)
        #expect(lines.map(\.line) == ["2", "3", "4", "5"])
        #expect(Set(lines.map(\.label)) == [path])
    }

    @Test func doesNotReadAgainACopyOfCheckpointedContent() throws {
        let directory = try TemporaryDirectory()
        let (path, first) = try tailerAfterOneLine(directory.path)
        // Truncated while running: the copy is resumed from where the original was.
        try append(path, "2\n")
        try FileManager.default.copyItem(atPath: path, toPath: path + ".1")
        try Data().write(to: URL(fileURLWithPath: path))
        usleep(2000)
        try append(path, "3\n")
        #expect(poll(first).map(\.line) == ["2", "3"])
        // Truncated again while stopped: the new copy holds "3", already read.
        try append(path, "4\n")
        usleep(2000)
        try FileManager.default.copyItem(atPath: path, toPath: path + ".2")
        try Data().write(to: URL(fileURLWithPath: path))
        try append(path, "5\n")
        let resumed = try tailer(directory.path, checkpoints: Array(first.checkpoints.values))
        #expect(poll(resumed).map(\.line) == ["4", "5"])
    }

    @Test func skipsCompressedFilesAndCutsLongLines() throws {
        let directory = try TemporaryDirectory()
        try Data([0x1f, 0x8b, 0x08, 0x00, 0x0a]).write(to: URL(fileURLWithPath: directory.path + "/z.log"))
        try append(directory.path + "/a.log", String(repeating: "L", count: 3000) + "\nshort\n" + String(repeating: "M", count: 2500))
        let tailer = try tailer(directory.path, maxLine: 1024)
        let lines = poll(tailer)
        #expect(lines.map(\.line.count) == [1024, 5, 1024])
        #expect(tailer.files.count == 1)
        try append(directory.path + "/a.log", "MMM\nafter\n")
        #expect(poll(tailer).map(\.line) == ["after"])
    }
}
