import Testing
import VigilConfig
import VigilModel
@testable import VigilLogs

@Suite struct MultilineJoinerTests {
    func events(_ fixture: String, rule: String) throws -> [String] {
        let chain = try ProcessingFixtures.chain("- {type: multiline, rule: \(rule)}")
        return ProcessingFixtures.run(try ProcessingFixtures.lines(fixture), chain).map(\.text)
    }

    @Test func joinsAJavaStackTraceWithItsLogLineAndCause() throws {
        let lines = try ProcessingFixtures.lines("multiline/java.log")
        let events = try events("multiline/java.log", rule: "java")
        #expect(events.count == 4)
        #expect(events[0] == lines[0])
        #expect(events[1] == lines[1...8].joined(separator: "\n"))
        #expect(events[2] == lines[9])
        #expect(events[3] == lines[10])
    }

    @Test func joinsAGoPanicWithItsGoroutines() throws {
        let lines = try ProcessingFixtures.lines("multiline/go.log")
        let events = try events("multiline/go.log", rule: "go")
        #expect(events == [lines[0], lines[1...8].joined(separator: "\n"), lines[9]])
    }

    @Test func joinsChainedPythonTracebacks() throws {
        let lines = try ProcessingFixtures.lines("multiline/python.log")
        let events = try events("multiline/python.log", rule: "python")
        #expect(events == [lines[0], lines[1...14].joined(separator: "\n"), lines[15]])
    }

    @Test func joinsARubyBacktrace() throws {
        let lines = try ProcessingFixtures.lines("multiline/ruby.log")
        let events = try events("multiline/ruby.log", rule: "ruby")
        #expect(events == [lines[0], lines[1...4].joined(separator: "\n"), lines[5]])
    }

    @Test func customRuleHoldsOnlyEventsThatStartWithStart() throws {
        let chain = try ProcessingFixtures.chain(#"- {type: multiline, start: '^\d{4}-', continue: '^\s'}"#)
        let out = ProcessingFixtures.run(["2026-01-01 a", "  b", "  c", "stray", "2026-01-02 d", "  e"], chain).map(\.text)
        #expect(out == ["2026-01-01 a\n  b\n  c", "stray", "2026-01-02 d\n  e"])
    }

    @Test func flushTimeoutSendsTheLastEventAndCountsJoinedEvents() throws {
        let registry = MetricsRegistry()
        let chain = try ProcessingFixtures.chain("- {type: multiline, rule: java, flush_timeout: 2s}", registry: registry)
        var state = chain.fileState(path: "/x.log")
        var out: [LogRecord] = []
        let start = ContinuousClock.now
        state.take(LogRecord(timestamp: 1, line: Array("java.lang.Error: x".utf8)), resumeOffset: 10, now: start, into: &out)
        state.take(LogRecord(timestamp: 2, line: Array("\tat a.b(C.java:1)".utf8)), resumeOffset: 29, now: start, into: &out)
        #expect(out.isEmpty)
        #expect(state.heldResumeOffset == 10)
        state.flushExpired(now: start + .seconds(1), into: &out)
        #expect(out.isEmpty)
        state.flushExpired(now: start + .seconds(2), into: &out)
        #expect(out.map(\.text) == ["java.lang.Error: x\n\tat a.b(C.java:1)"])
        #expect(out.first?.timestamp == 1)
        #expect(state.heldResumeOffset == nil)
        let joined = try registry.counter(
            name: "vigil_logs_multiline_events_total", help: "Multiline events of more than one line sent.", labels: ["input": "t"])
        #expect(joined.value == 1)
    }

    @Test func anEventAtItsLineCapIsSentAndTheRestStartsANewOne() throws {
        let registry = MetricsRegistry()
        let chain = try ProcessingFixtures.chain("- {type: multiline, rule: java, max_lines: 3}", registry: registry)
        let lines = ["java.lang.Error: x"] + (1...5).map { "\tat f\($0)(F.java:1)" }
        let out = ProcessingFixtures.run(lines, chain).map(\.text)
        #expect(out == [lines[0...2].joined(separator: "\n"), lines[3...5].joined(separator: "\n")])
        #expect(out.joined(separator: "\n") == lines.joined(separator: "\n"))
        let atLimit = try registry.counter(
            name: "vigil_logs_multiline_flushed_at_limit_total",
            help: "Multiline events sent early because they reached max_lines or max_bytes (the rest starts a new event).",
            labels: ["input": "t"])
        #expect(atLimit.value == 1)
    }

    @Test func streamsAreJoinedSeparately() throws {
        let chain = try ProcessingFixtures.chain("- {type: multiline, rule: java}")
        var state = chain.fileState(path: "/x.log")
        var out: [LogRecord] = []
        let now = ContinuousClock.now
        state.take(LogRecord(timestamp: 1, stream: .stderr, line: Array("java.lang.Error: x".utf8)), resumeOffset: 0, now: now, into: &out)
        state.take(LogRecord(timestamp: 2, stream: .stdout, line: Array("hello".utf8)), resumeOffset: 5, now: now, into: &out)
        state.take(LogRecord(timestamp: 3, stream: .stderr, line: Array("\tat a(A.java:1)".utf8)), resumeOffset: 9, now: now, into: &out)
        state.flushExpired(now: now + .seconds(60), into: &out)
        let texts = Set(out.map(\.text))
        #expect(texts == ["hello", "java.lang.Error: x\n\tat a(A.java:1)"])
    }
}
