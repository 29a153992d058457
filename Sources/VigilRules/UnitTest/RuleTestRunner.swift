#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import VigilConfig
import VigilModel
import VigilPromQL
import VigilTSDB

/// Runs promtool rule unit-test files (`vigil test rules`): each test group loads its input series
/// step by step into a fresh store, evaluates the rules every `evaluation_interval` from time 0,
/// and compares the firing alerts and query results with the expected ones.
public enum RuleTestRunner {
    /// A test file that cannot be run (unreadable, invalid, bad input notation, bad rule file).
    public struct LoadError: Error, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// Runs every test group of the file at `path`, using `workDirectory` (which must exist) for
    /// the temporary stores. Returns the failures, empty when every test passed.
    public static func run(path: String, workDirectory: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(validating: data, as: UTF8.self) else {
            throw LoadError(description: "\(path): cannot read file")
        }
        let file = try ConfigDecoder.decode(RuleTestFile.self, fromYAML: text, fileName: path)
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        var rulePaths: [String] = []
        for pattern in file.ruleFiles {
            let joined = pattern.hasPrefix("/") ? pattern : directory + "/" + pattern
            let matches = try Glob.expand(joined)
            rulePaths += matches.isEmpty ? [joined] : matches
        }
        let ruleFiles = try RuleFile.loadAll(paths: rulePaths)
        var failures: [String] = []
        for (index, test) in file.tests.enumerated() {
            let store = workDirectory + "/test-\(index)"
            defer { try? FileManager.default.removeItem(atPath: store) }
            let tsdb = try TSDB.open(directory: store)
            defer { try? tsdb.close() }
            failures += try run(
                test, ruleFiles: ruleFiles, order: file.groupEvalOrder, evaluationInterval: file.evaluationInterval.milliseconds,
                tsdb: tsdb)
        }
        return failures
    }

    private static func run(
        _ test: RuleTestFile.TestGroup, ruleFiles: [RuleFile], order: [String], evaluationInterval: Int64, tsdb: TSDB
    ) throws -> [String] {
        let prefix = test.name.isEmpty ? "" : "    name: \(test.name),\n"
        // Input samples, ordered by time.
        var inputs: [(time: Int64, labels: Labels, value: Double)] = []
        for input in test.inputSeries {
            let labels = try seriesLabels(input.series)
            let values: [Double?]
            do {
                values = try SeriesValues.parse(input.values)
            } catch {
                throw LoadError(description: "series \(input.series): \(error.description)")
            }
            for (step, value) in values.enumerated() {
                if let value { inputs.append((Int64(step) * test.interval.milliseconds, labels, value)) }
            }
        }
        inputs.sort { $0.time < $1.time }
        var environment = RuleEnvironment(
            tsdb: tsdb, externalLabels: test.externalLabels, externalURL: test.externalURL,
            logger: Logger(label: "vigil.test-rules") { _ in SwiftLogNoOpLogHandler() })
        environment.forGracePeriod = 0
        var groups = ruleFiles.flatMap { file in
            file.groups.map { RuleGroup(file: file.path, definition: $0, defaultInterval: evaluationInterval) }
        }
        if !order.isEmpty {
            // `group_eval_order` names every group, as promtool requires.
            let names = Set(groups.map(\.name))
            guard Set(order) == names, order.count == groups.count else {
                throw LoadError(description: "group_eval_order must name every rule group once: \(names.sorted())")
            }
            groups.sort { (order.firstIndex(of: $0.name) ?? 0) < (order.firstIndex(of: $1.name) ?? 0) }
        }
        let alertTests = test.alertRuleTests.sorted { $0.evalTime < $1.evalTime }
        let lastTime = (alertTests.map(\.evalTime.milliseconds) + test.promqlExprTests.map(\.evalTime.milliseconds)).max() ?? 0
        var failures: [String] = []
        var nextInput = 0
        var nextAlertTest = 0
        func load(upTo time: Int64) throws {
            var appender = tsdb.appender()
            while nextInput < inputs.count, inputs[nextInput].time <= time {
                let input = inputs[nextInput]
                _ = try appender.append(ref: nil, labels: input.labels, timestamp: input.time, value: input.value)
                nextInput += 1
            }
            try appender.commit(durable: false)
        }
        var time: Int64 = 0
        while time <= lastTime {
            try load(upTo: time)
            for group in groups where time % group.interval == 0 {
                group.evaluate(at: time, environment: environment)
            }
            while nextAlertTest < alertTests.count, alertTests[nextAlertTest].evalTime.milliseconds < time + evaluationInterval {
                if let failure = check(alertTests[nextAlertTest], groups: groups) { failures.append(prefix + failure) }
                nextAlertTest += 1
            }
            time += evaluationInterval
        }
        try load(upTo: .max)
        let engine = Engine()
        for exprTest in test.promqlExprTests {
            if let failure = try check(exprTest, engine: engine, tsdb: tsdb) { failures.append(prefix + failure) }
        }
        return failures
    }

    private static func seriesLabels(_ text: String) throws -> Labels {
        if text.allSatisfy({ $0 == " " || $0 == "\t" }) { return .empty }
        let matchers: [LabelMatcher]
        do {
            matchers = try PromQL.parseMetricSelector(text)
        } catch {
            throw LoadError(description: "invalid series \(text): \(error.description)")
        }
        return Labels(matchers.map { Label(name: $0.name, value: $0.value) })
    }

    private struct AlertView: Comparable {
        var labels: Labels
        var annotations: Labels

        static func < (lhs: AlertView, rhs: AlertView) -> Bool {
            lhs.labels == rhs.labels ? lhs.annotations < rhs.annotations : lhs.labels < rhs.labels
        }

        var text: String { "Labels:\(labels)\n              Annotations:\(annotations)" }
    }

    private static func check(_ test: RuleTestFile.AlertRuleTest, groups: [RuleGroup]) -> String? {
        var got: [AlertView] = []
        for group in groups {
            for rule in group.ruleSnapshots where rule.definition.kind == .alerting && rule.definition.name == test.alertName {
                for alert in rule.alerts where alert.state == .firing {
                    got.append(AlertView(labels: labelSet(alert.labels), annotations: labelSet(alert.annotations)))
                }
            }
        }
        var expected = test.expectedAlerts.map { alert in
            var labels = alert.labels
            labels["alertname"] = test.alertName
            return AlertView(labels: labelSet(labels), annotations: labelSet(alert.annotations))
        }
        got.sort()
        expected.sort()
        guard got != expected else { return nil }
        func list(_ alerts: [AlertView]) -> String {
            alerts.isEmpty ? "[]" : "[\n" + alerts.enumerated().map { "            \($0.offset):\n              \($0.element.text)" }.joined(separator: ",\n") + "\n            ]"
        }
        return "    alertname: \(test.alertName), time: \(test.evalTime), \n        exp:\(list(expected)), \n        got:\(list(got))"
    }

    private static func labelSet(_ map: [String: String]) -> Labels {
        Labels(map.map { Label(name: $0.key, value: $0.value) })
    }

    private static func check(_ test: RuleTestFile.PromQLExprTest, engine: Engine, tsdb: TSDB) throws -> String? {
        let result: QueryResult
        do {
            result = try engine.instantQuery(test.expr, time: test.evalTime.milliseconds, querier: tsdb.querier())
        } catch {
            return "    expr: \(GoQuote.quote(test.expr)), time: \(test.evalTime), err: \(error)"
        }
        var got: [(labels: Labels, value: Double)]
        switch result.value {
        case .vector(let samples): got = samples.map { ($0.labels, $0.value) }
        case .scalar(_, let value): got = [(.empty, value)]
        default: return "    expr: \(GoQuote.quote(test.expr)), time: \(test.evalTime), err: expression did not return a vector or scalar"
        }
        var expected: [(labels: Labels, value: Double)] = []
        for sample in test.expectedSamples {
            expected.append((try seriesLabels(sample.labels), sample.value))
        }
        got.sort { $0.labels < $1.labels }
        expected.sort { $0.labels < $1.labels }
        let same = got.count == expected.count && zip(got, expected).allSatisfy { pair in
            pair.0.labels == pair.1.labels
                && (pair.0.value == pair.1.value || (pair.0.value.isNaN && pair.1.value.isNaN))
        }
        if same { return nil }
        // promtool prints each sample as `LABELS VALUE`, the value in Go's shortest 'E' form.
        func list(_ samples: [(labels: Labels, value: Double)]) -> String {
            samples.map { "\($0.labels) \(GoExponent.format($0.value).replacing("e", with: "E"))" }.joined(separator: ", ")
        }
        return "    expr: \(GoQuote.quote(test.expr)), time: \(test.evalTime),\n        exp: \(list(expected))\n        got: \(list(got))"
    }
}
