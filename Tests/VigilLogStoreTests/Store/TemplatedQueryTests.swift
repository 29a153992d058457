import Testing
import VigilLogQL
import VigilLogStore
import VigilModel
import VigilTestSupport

/// `sum by (…) (count_over_time({…} | json [..]))` over sealed chunks reads templates and
/// columns instead of lines; it must answer exactly as the line-by-line pipeline does over the
/// same lines (an in-memory source), whatever the lines hold.
@Suite struct TemplatedQueryTests {
    /// JSON lines of many shapes: flat and nested, arrays, numbers with exponents, literals, keys
    /// holding digits, escapes, Unicode, a key that is also a stream label, duplicate keys, and
    /// (when `broken`) lines the parser refuses, some of them only because of a variable's text.
    static func lines(_ random: inout SplitMix64, count: Int, broken: Bool) -> [String] {
        let statuses = ["200", "201", "404", "500", "503"]
        var lines: [String] = []
        for _ in 0..<count {
            let status = statuses[Int(random.next() % 5)]
            let number = random.next() % 100_000
            // Grouped fields take few values, so the answers stay under the series limit.
            let small = random.next() % 6
            let line: String
            switch random.next() % (broken ? 14 : 10) {
            case 0: line = #"{"status":"\#(status)","bytes":\#(number),"level":"info"}"#
            case 1: line = #"{"status":\#(status),"took":1.\#(small)e\#(small % 3),"ok":true,"gone":null}"#
            case 2: line = #"{ "a": {"b": \#(small * 7), "c": {"d": "x\#(small)"}}, "status" : "\#(status)" }"#
            case 3: line = #"{"arr":[1,"x2",{"c":\#(number)}],"status":"\#(status)","level":"warn"}"#
            case 4: line = #"{"k1":"v\#(small)","status":"\#(status)","job":"j\#(number % 3)"}"#
            case 5: line = #"{"msg":"a \"quoted\" word \#(number)","status":"\#(status)"}"#
            case 6: line = #"{"msg":"caf\u00e9 \#(number)","status":"\#(status)","level":"é\#(number % 4)"}"#
            case 7: line = #"{"status":"\#(status)","status":"dup\#(number % 2)","neg":-\#(small)}"#
            case 8: line = #"{"level":"debug","n":\#(small),"f":false}"#
            case 9: line = #"{"status":"\#(status)","hex":"\#(String(small * 5, radix: 16))","when":"2026-11-28T09:\#(number % 60):00Z"}"#
            case 10: line = #"{"status":"\#(status)","n":\#(String(small * 3, radix: 16))}"#
            case 11: line = "plain text \(number)"
            case 12: line = #"{"status":"\#(status)","n":\#(number)"#
            default: line = #"{"status":\#(status)\#(number % 2 == 0 ? "" : "x")}"#
            }
            lines.append(line)
        }
        return lines
    }

    /// The answer, or the error's text, of `query` over `source`.
    static func answer(_ query: String, _ source: any LogSource, start: Int64, end: Int64) async -> String {
        do {
            let response = try await LogQLEngine(source: source).rangeQuery(query, start: start, end: end, step: 60_000_000_000)
            let stats = response.statistics
            return "\(response.result) lines=\(stats.totalLinesProcessed) bytes=\(stats.totalBytesProcessed) kept=\(stats.totalPostFilterLines)"
        } catch {
            return "error: \(error)"
        }
    }

    static let start: Int64 = 1_700_000_000_000_000_000
    static let second: Int64 = 1_000_000_000

    /// A store of sealed chunks and an in-memory source holding the same 48,000 lines of two
    /// streams: `clean` (JSON only) and `mixed` (with lines the parser refuses).
    static func loaded(in directory: borrowing TemporaryDirectory) throws -> (store: LogStore, memory: InMemoryLogSource) {
        let store = try LogStore.open(directory: directory.path, options: testOptions(), clock: TestClock(start + 1_200 * second).function)
        let memory = InMemoryLogSource()
        var random = SplitMix64(seed: 42)
        for (job, broken) in [("clean", false), ("mixed", true)] {
            let labels: Labels = ["job": job, "env": "prod"]
            // Enough lines for several blocks (about 1 MiB of lines each).
            let entries = Self.lines(&random, count: 24_000, broken: broken).enumerated().map { index, line in
                LogEntry(timestamp: start + Int64(index) * second / 20, line: Array(line.utf8))
            }
            try store.push(PushRequest(streams: [PushStream(labels: labels, entries: entries)]))
            memory.append(labels, entries)
        }
        try store.checkpoint(sealHeads: true)
        return (store, memory)
    }

    /// Each query's answer over `source` and over `reference`, over the whole span and over a
    /// window whose edges cut blocks; records every difference and returns the reference answers.
    static func compare(_ queries: [String], _ source: any LogSource, _ reference: any LogSource) async -> [String] {
        var answers: [String] = []
        for (from, to) in [(start, start + 1_200 * second), (start + 137 * second, start + 911 * second)] {
            for query in queries {
                let got = await Self.answer(query, source, start: from, end: to)
                let expected = await Self.answer(query, reference, start: from, end: to)
                if got != expected {
                    Issue.record("\(query) from \(from):\ngot:      \(got.prefix(600))\nexpected: \(expected.prefix(600))")
                }
                answers.append(expected)
            }
        }
        return answers
    }

    @Test func countsByParsedLabelsEqualTheLinePipelines() async throws {
        let directory = try TemporaryDirectory()
        let (store, memory) = try Self.loaded(in: directory)
        let queries = [
            #"sum by (status) (count_over_time({job="clean"} | json [1m]))"#,
            #"sum by (status, level, a_b, a_c_d, k1, job_extracted, ok, took, gone, arr) (count_over_time({job="clean"} | json [1m]))"#,
            #"sum by (env, n, neg, f, hex) (rate({env="prod", job="clean"} | json [2m]))"#,
            #"sum by (status) (count_over_time({job="mixed"} | json [1m]))"#,
            #"sum by (level) (count_over_time({job=~".+"} | json [1m]))"#,
        ]
        let answers = await Self.compare(queries, store, memory)
        // The clean stream answers with series; the mixed one is a pipeline error on both.
        #expect(answers[0].contains("201") && answers[3].contains("pipeline error")
            && !answers[1].hasPrefix("error") && !answers[2].hasPrefix("error"), "\(answers.map { $0.prefix(300) })")
        try store.close()
    }

    /// A source that hands over stored blocks whether or not the selection asked for them.
    struct BlocksAlways: LogSource {
        let store: LogStore
        func select(_ selection: LogSelection, _ visit: (LogStreamBatch) throws -> Bool) async throws {
            var selection = selection
            selection.templatedBlocks = true
            try await store.select(selection, visit)
        }
        func labelNames(start: Int64, end: Int64) async throws -> [String] {
            try await store.labelNames(start: start, end: end)
        }
        func labelValues(_ name: String, matchers: [LabelMatcher], start: Int64, end: Int64) async throws -> [String] {
            try await store.labelValues(name, matchers: matchers, start: start, end: end)
        }
    }

    /// Blocks a query did not ask for (the contract forbids sending them, but a source may) are
    /// counted as plain lines, never dropped.
    @Test func unaskedBlocksAreCountedAsLines() async throws {
        let directory = try TemporaryDirectory()
        let (store, memory) = try Self.loaded(in: directory)
        let queries = [
            #"sum by (status) (count_over_time({job="clean"} | logfmt [1m]))"#,
            #"count_over_time({job="clean"} |= "200" [1m])"#,
            #"sum(bytes_over_time({job=~".+"} [1m]))"#,
        ]
        let answers = await Self.compare(queries, BlocksAlways(store: store), memory)
        #expect(answers.allSatisfy { !$0.hasPrefix("error") && $0.contains("lines=") }, "\(answers.map { $0.prefix(300) })")
        try store.close()
    }
}
