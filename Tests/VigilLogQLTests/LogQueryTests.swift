import Synchronization
import Testing
import VigilLogQL
import VigilModel

@Suite struct LogQueryTests {
    /// Streams a and b interleaved: a at 1, 3, 5, 7; b at 2, 4, 6, 8.
    var data: InMemoryLogSource {
        var lines: [(Labels, Double, String)] = []
        for second in [1.0, 3, 5, 7] { lines.append((["app": "x", "pod": "a"], second, "a\(Int(second))")) }
        for second in [2.0, 4, 6, 8] { lines.append((["app": "x", "pod": "b"], second, "b\(Int(second))")) }
        return source(lines)
    }

    @Test func limitTakesTheNewestAcrossStreamsWhenBackward() async throws {
        let result = try await logs(#"{app="x"}"#, data, limit: 3, direction: .backward)
        #expect(result.map(\.labels) == [["app": "x", "pod": "a"], ["app": "x", "pod": "b"]])
        #expect(result.map(\.lines) == [["a7"], ["b8", "b6"]])
    }

    @Test func limitTakesTheOldestAcrossStreamsWhenForward() async throws {
        let result = try await logs(#"{app="x"}"#, data, limit: 3, direction: .forward)
        #expect(result.map(\.lines) == [["a1", "a3"], ["b2"]])
    }

    @Test func windowIsClosedOpen() async throws {
        let response = try await LogQLEngine(source: data).rangeQuery(
            #"{app="x"}"#, start: ns(2), end: ns(4), step: ns(1), limit: 100, direction: .forward)
        guard case .streams(let streams) = response.result else {
            Issue.record("not streams")
            return
        }
        #expect(streams.flatMap(\.entries).map { String(decoding: $0.line, as: UTF8.self) }.sorted() == ["a3", "b2"])
    }

    @Test func pipelineLabelsSplitStreams() async throws {
        let data = source([(["app": "x"], 1, "level=info"), (["app": "x"], 2, "level=error"), (["app": "x"], 3, "level=info")])
        let result = try await logs(#"{app="x"} | logfmt"#, data, direction: .backward)
        #expect(result.map(\.labels) == [["app": "x", "level": "error"], ["app": "x", "level": "info"]])
        #expect(result[1].lines == ["level=info", "level=info"])
    }

    /// A source that records what the engine asked for.
    final class RecordingSource: LogSource {
        let selections = Mutex<[LogSelection]>([])
        func select(_ selection: LogSelection, _ visit: (LogStreamBatch) throws -> Bool) async throws {
            selections.withLock { $0.append(selection) }
        }
        func labelNames(start: Int64, end: Int64) async throws -> [String] { [] }
        func labelValues(_ name: String, matchers: [LabelMatcher], start: Int64, end: Int64) async throws -> [String] { [] }
    }

    @Test func leadingContainsFiltersReachTheSource() async throws {
        let recorder = RecordingSource()
        let engine = LogQLEngine(source: recorder)
        _ = try await engine.rangeQuery(
            #"{app="x"} |= "error" |~ "time.*out" |= "db" != "debug" |= "a" or "b" | json |= "late""#,
            start: 0, end: ns(10), step: ns(1))
        _ = try await engine.instantQuery(#"count_over_time({app="x"} |= "rare" [5m] offset 1m)"#, time: ns(600))
        let selections = recorder.selections.withLock { $0 }
        #expect(selections.count == 2)
        #expect(selections[0].requiredSubstrings == [Array("error".utf8), Array("db".utf8)])
        #expect(selections[0].direction == .backward)
        #expect(selections[1].requiredSubstrings == [Array("rare".utf8)])
        // The window of t=600 s, [5m] offset 1m: (240 s, 540 s].
        #expect(selections[1].start == ns(240) + 1)
        #expect(selections[1].end == ns(540) + 1)
    }
}
