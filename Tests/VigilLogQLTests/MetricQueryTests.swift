import Testing
import VigilLogQL
import VigilModel

@Suite struct MetricQueryTests {
    let a: Labels = ["app": "api", "pod": "a"]
    let b: Labels = ["app": "api", "pod": "b"]

    /// pod a: a line every 10 s from 10 to 100 (10 lines, 5 errors); pod b: at 15, 25, 35.
    var data: InMemoryLogSource {
        var lines: [(Labels, Double, String)] = []
        for second in stride(from: 10.0, through: 100, by: 10) {
            let error = Int(second) % 20 == 0
            lines.append((a, second, "level=\(error ? "error" : "info") took=\(Int(second))ms size=\(Int(second))B"))
        }
        for second in [15.0, 25, 35] { lines.append((b, second, "level=info took=1s size=1KB")) }
        return source(lines)
    }

    @Test func countOverTimeWindowIsOpenOnTheLeft() async throws {
        // At t=60 the window (0, 60] holds pod a's lines at 10…60 → 6; pod b's 3.
        let result = try await instant(#"count_over_time({app="api"}[1m])"#, data, at: 60)
        #expect(result == [#"{app="api", pod="a"}"#: 6, #"{app="api", pod="b"}"#: 3])
        // (10, 70]: the line at 10 falls out.
        #expect(try await instant(#"count_over_time({pod="a"}[1m])"#, data, at: 70) == [#"{app="api", pod="a"}"#: 6])
        #expect(try await instant(#"count_over_time({pod="a"}[1m])"#, data, at: 9.999).isEmpty)
    }

    @Test func rateBytesAndOffset() async throws {
        #expect(try await instant(#"rate({pod="a"}[1m])"#, data, at: 60) == [#"{app="api", pod="a"}"#: 0.1])
        let bytes = "level=info took=1s size=1KB".utf8.count
        #expect(try await instant(#"bytes_over_time({pod="b"}[1m])"#, data, at: 60) == [#"{app="api", pod="b"}"#: Double(3 * bytes)])
        #expect(try await instant(#"bytes_rate({pod="b"}[1m])"#, data, at: 60) == [#"{app="api", pod="b"}"#: Double(3 * bytes) / 60])
        // offset 30s at t=90 reads (0, 60].
        #expect(try await instant(#"count_over_time({pod="a"}[1m] offset 30s)"#, data, at: 90) == [#"{app="api", pod="a"}"#: 6])
    }

    @Test func rangeQueryStepsAndAlignment() async throws {
        let result = try await matrix(#"count_over_time({pod="b"}[10s])"#, data, start: 10, end: 40, step: 10)
        // Windows (0,10] (10,20] (20,30] (30,40]: 0, 1, 1, 1 → no point at 10.
        #expect(result == [#"{app="api", pod="b"}"#: [20: 1, 30: 1, 40: 1]])
        let unaligned = try await matrix(#"count_over_time({pod="b"}[10s])"#, data, start: 12, end: 40, step: 10)
        #expect(unaligned == [#"{app="api", pod="b"}"#: [22: 1, 32: 1]])
    }

    @Test func unwrapFunctions() async throws {
        func value(_ query: String) async throws -> Double? {
            // Each line's logfmt labels differ, so group by pod to put pod a's samples in one series.
            try await instant(query + " by (pod)", data, at: 100)[#"{pod="a"}"#]
        }
        let base = #"{pod="a"} | logfmt | unwrap took"#
        // took values 10…100 (ms as bare numbers fail): use duration() for seconds.
        #expect(try await value("sum_over_time({pod=\"a\"} | logfmt | unwrap duration(took) [100s])")?.isClose(to: 0.55) == true)
        #expect(try await value("avg_over_time({pod=\"a\"} | logfmt | unwrap duration(took) [100s])")?.isClose(to: 0.055) == true)
        #expect(try await value("min_over_time({pod=\"a\"} | logfmt | unwrap duration(took) [100s])") == 0.01)
        #expect(try await value("max_over_time({pod=\"a\"} | logfmt | unwrap duration_seconds(took) [100s])") == 0.1)
        #expect(try await value("first_over_time({pod=\"a\"} | logfmt | unwrap duration(took) [100s])") == 0.01)
        #expect(try await value("last_over_time({pod=\"a\"} | logfmt | unwrap duration(took) [100s])") == 0.1)
        #expect(try await value("sum_over_time({pod=\"a\"} | logfmt | unwrap bytes(size) [100s])") == 550)
        #expect(try await value("rate({pod=\"a\"} | logfmt | unwrap bytes(size) [100s])") == 5.5)
        let quantile = try #require(try await value("quantile_over_time(0.5, {pod=\"a\"} | logfmt | unwrap bytes(size) [100s])"))
        #expect(quantile == 55)
        let stdvar = try #require(try await value("stdvar_over_time({pod=\"a\"} | logfmt | unwrap bytes(size) [100s])"))
        #expect(stdvar.isClose(to: 825))
        let stddev = try #require(try await value("stddev_over_time({pod=\"a\"} | logfmt | unwrap bytes(size) [100s])"))
        #expect(abs(stddev - 825.0.squareRoot()) < 1e-9)
        // "10ms" is not a float: the sample is an error the query must filter.
        await #expect(throws: LogQLEngineError.self) { try await instant("sum_over_time(\(base) [100s])", data, at: 100) }
        #expect(try await instant("sum_over_time(\(base) | __error__=\"\" [100s])", data, at: 100).isEmpty)
    }

    @Test func unwrapGroupingAndLabelRemoval() async throws {
        let result = try await instant(
            #"max_over_time({app="api"} | logfmt | unwrap bytes(size) [100s]) by (pod)"#, data, at: 100)
        #expect(result == [#"{pod="a"}"#: 100, #"{pod="b"}"#: 1000])
        let ungrouped = try await instant(#"sum_over_time({pod="b"} | logfmt | unwrap bytes(size) [100s])"#, data, at: 100)
        #expect(ungrouped.keys.first?.contains("size") == false)
    }

    @Test func rateCounter() async throws {
        let counter: Labels = ["app": "c"]
        let data = source([(counter, 10, "v=1"), (counter, 20, "v=2"), (counter, 30, "v=3"), (counter, 40, "v=1")])
        let result = try await instant(#"rate_counter({app="c"} | logfmt | unwrap v [40s])"#, data, at: 40)
        // Increase 3 (1→3, then a reset to 1) over 30 s sampled, extrapolated to 40 s: 4 per 40 s.
        let value = try #require(result.values.first)
        #expect(value.isClose(to: 0.1))
    }

    @Test func absentOverTime() async throws {
        let result = try await matrix(#"absent_over_time({app="api", pod="b"}[10s])"#, data, start: 30, end: 60, step: 10)
        #expect(result == [#"{app="api", pod="b"}"#: [50: 1, 60: 1]])
        #expect(try await instant(#"absent_over_time({pod="a"}[1m])"#, data, at: 60).isEmpty)
    }

    @Test func aggregations() async throws {
        let count = #"count_over_time({app="api"}[1m])"#
        #expect(try await instant("sum(\(count))", data, at: 60) == ["{}": 9])
        #expect(try await instant("sum by (pod) (\(count))", data, at: 60) == [#"{pod="a"}"#: 6, #"{pod="b"}"#: 3])
        #expect(try await instant("sum without (pod) (\(count))", data, at: 60) == [#"{app="api"}"#: 9])
        #expect(try await instant("avg(\(count))", data, at: 60) == ["{}": 4.5])
        #expect(try await instant("min(\(count))", data, at: 60) == ["{}": 3])
        #expect(try await instant("max(\(count))", data, at: 60) == ["{}": 6])
        #expect(try await instant("count(\(count))", data, at: 60) == ["{}": 2])
        #expect(try await instant("stdvar(\(count))", data, at: 60) == ["{}": 2.25])
        #expect(try await instant("stddev(\(count))", data, at: 60) == ["{}": 1.5])
        #expect(try await instant("topk(1, \(count))", data, at: 60) == [#"{app="api", pod="a"}"#: 6])
        #expect(try await instant("bottomk(1, \(count))", data, at: 60) == [#"{app="api", pod="b"}"#: 3])
        #expect(try await instant(#"sum by (level) (count_over_time({app="api"} | logfmt [1m]))"#, data, at: 60)
            == [#"{level="error"}"#: 3, #"{level="info"}"#: 6])
    }

    @Test func sortOrdersInstantVectors() async throws {
        let engine = LogQLEngine(source: data)
        let ascending = try await engine.instantQuery(#"sort(count_over_time({app="api"}[1m]))"#, time: ns(60))
        let descending = try await engine.instantQuery(#"sort_desc(count_over_time({app="api"}[1m]))"#, time: ns(60))
        guard case .vector(let up) = ascending.result, case .vector(let down) = descending.result else {
            Issue.record("not vectors")
            return
        }
        #expect(up.map { $0.points[0].value } == [3, 6])
        #expect(down.map { $0.points[0].value } == [6, 3])
    }

    @Test func binaryOperations() async throws {
        let errors = #"sum by (pod) (count_over_time({app="api"} |= "error" [1m]))"#
        let all = #"sum by (pod) (count_over_time({app="api"}[1m]))"#
        #expect(try await instant("\(errors) / \(all)", data, at: 60) == [#"{pod="a"}"#: 0.5])
        #expect(try await instant("\(all) * 2 + 1", data, at: 60) == [#"{pod="a"}"#: 13, #"{pod="b"}"#: 7])
        #expect(try await instant("\(all) > 4", data, at: 60) == [#"{pod="a"}"#: 6])
        #expect(try await instant("\(all) > bool 4", data, at: 60) == [#"{pod="a"}"#: 1, #"{pod="b"}"#: 0])
        #expect(try await instant("\(all) and \(errors)", data, at: 60) == [#"{pod="a"}"#: 6])
        #expect(try await instant("\(all) unless \(errors)", data, at: 60) == [#"{pod="b"}"#: 3])
        #expect(try await instant("\(errors) or \(all)", data, at: 60) == [#"{pod="a"}"#: 3, #"{pod="b"}"#: 3])
        #expect(try await instant("2 ^ 3 * 2 - 1", data, at: 60) == ["scalar": 15])
        #expect(try await instant("7 % 4 == bool 3", data, at: 60) == ["scalar": 1])
        let onMatch = #"count_over_time({app="api"}[1m]) / on (app) group_left sum by (app) (count_over_time({app="api"}[1m]))"#
        #expect(try await instant(onMatch, data, at: 60) == [#"{app="api", pod="a"}"#: 6.0 / 9, #"{app="api", pod="b"}"#: 3.0 / 9])
        let ignoring = #"count_over_time({app="api"}[1m]) - ignoring (pod) group_left sum without (pod) (count_over_time({app="api"}[1m]))"#
        #expect(try await instant(ignoring, data, at: 60).count == 2)
        await #expect(throws: LogQLEngineError.self) {
            _ = try await instant(#"count_over_time({app="api"}[1m]) / on (app) count_over_time({app="api"}[1m])"#, data, at: 60)
        }
    }

    @Test func labelReplaceAndVector() async throws {
        let result = try await instant(
            #"label_replace(count_over_time({app="api"}[1m]), "short", "p-$1", "pod", "(.)")"#, data, at: 60)
        #expect(result[#"{app="api", pod="a", short="p-a"}"#] == 6)
        #expect(try await instant("vector(2) * 3", data, at: 60) == ["{}": 6])
    }

    @Test func pipelineErrorsMustBeFiltered() async throws {
        let mixed = source([(["app": "m"], 10, #"{"status":"200"}"#), (["app": "m"], 11, "plain text")])
        do {
            _ = try await instant(#"sum by (status) (count_over_time({app="m"} | json [1m]))"#, mixed, at: 60)
            Issue.record("no pipeline error")
        } catch let error as LogQLEngineError {
            #expect(error.message.hasPrefix("pipeline error: 'JSONParserErr' for series:"))
        }
        #expect(try await instant(#"sum by (status) (count_over_time({app="m"} | json | __error__="" [1m]))"#, mixed, at: 60)
            == [#"{status="200"}"#: 1])
    }

    @Test func groupingBeforeParsingKeepsNestedAndSanitisedKeys() async throws {
        let stream: Labels = ["job": "ingress", "status": "stream"]
        let data = source([
            (stream, 10, #"{"status":"200","req":{"method":"GET"},"user-agent":"curl","other":[1,{"x":2}]}"#),
            (stream, 11, #"{"status":"500","req":{"method":"GET"},"user-agent":"curl"}"#),
            (stream, 12, #"{"status":"200","req":{"method":"POST"},"user-agent":"wget","extra":"\u00e9"}"#),
        ])
        let grouped = try await instant(
            #"sum by (req_method, user_agent, status_extracted) (count_over_time({job="ingress"} | json [1m]))"#, data, at: 60)
        #expect(grouped == [
            #"{req_method="GET", status_extracted="200", user_agent="curl"}"#: 1,
            #"{req_method="GET", status_extracted="500", user_agent="curl"}"#: 1,
            #"{req_method="POST", status_extracted="200", user_agent="wget"}"#: 1,
        ])
        // The same answer as aggregating the full series afterwards.
        let full = try await instant(
            #"sum by (req_method) (count_over_time({job="ingress"} | json [1m]) > 0)"#, data, at: 60)
        #expect(full == [#"{req_method="GET"}"#: 2, #"{req_method="POST"}"#: 1])
        #expect(try await instant(#"sum by (status) (count_over_time({job="ingress"} | json [1m]))"#, data, at: 60)
            == [#"{status="stream"}"#: 3])
    }

    @Test func skippedFieldsAreCheckedButNotDecoded() async throws {
        let stream: Labels = ["job": "ingress"]
        let data = source([
            (stream, 10, #"{"msg":"a \"quoted\" \\ path","status":"200","tags":["x\"y",{"k":"v\\"}]}"#),
            (stream, 11, #"{"msg":"é \u00e9 \ud83d\ude00","status":"500"}"#),
            (stream, 12, #"{"status":"200","msg":"plain"}"#),
            (stream, 13, #"{"msg":"cut \"short,"status":"404"}"#),
            (stream, 14, #"{"msg":"bad escape \q","status":"404"}"#),
        ])
        #expect(try await instant(#"sum by (status) (count_over_time({job="ingress"} | json | __error__="" [1m]))"#, data, at: 60)
            == [#"{status="200"}"#: 2, #"{status="500"}"#: 1])
        #expect(try await lines(#"{job="ingress"} | json | __error__="JSONParserErr""#, data)
            == [#"{"msg":"cut \"short,"status":"404"}"#, #"{"msg":"bad escape \q","status":"404"}"#])
    }

    @Test func instantLogQueryIsRefused() async throws {
        await #expect(throws: LogQLEngineError.self) {
            _ = try await LogQLEngine(source: data).instantQuery(#"{app="api"}"#, time: ns(60))
        }
    }

    @Test func limits() async throws {
        let limited = LogQLEngine(source: data, limits: LogQLLimits(maxEntriesPerQuery: 10, maxSeries: 1))
        do {
            _ = try await limited.rangeQuery(#"{app="api"}"#, start: 0, end: ns(100), step: ns(1), limit: 11)
            Issue.record("no entries limit")
        } catch let error as LogQLEngineError {
            #expect(error.message == "max entries limit per query exceeded, limit > max_entries_limit_per_query (11 > 10)")
            #expect(error.kind == .limit)
        }
        do {
            _ = try await limited.instantQuery(#"count_over_time({app="api"}[1m])"#, time: ns(60))
            Issue.record("no series limit")
        } catch let error as LogQLEngineError {
            #expect(error.message == "maximum of series (1) reached for a single query")
        }
        let instantly = LogQLEngine(source: data, limits: LogQLLimits(timeout: .zero))
        do {
            _ = try await instantly.instantQuery(#"count_over_time({app="api"}[1m])"#, time: ns(60))
            Issue.record("no timeout")
        } catch let error as LogQLEngineError {
            #expect(error.kind == .timeout)
        }
        await #expect(throws: LogQLEngineError.self) {
            _ = try await LogQLEngine(source: data).rangeQuery(#"count_over_time({app="api"}[1m])"#, start: 0, end: ns(20_000), step: ns(1))
        }
    }

    @Test func defaultStep() {
        #expect(LogQLEngine.defaultStep(start: 0, end: ns(3600)) == ns(14))
        #expect(LogQLEngine.defaultStep(start: 0, end: ns(60)) == ns(1))
    }
}

extension Double {
    func isClose(to other: Double) -> Bool { abs(self - other) <= 1e-9 * Swift.max(1, abs(other)) }
}
