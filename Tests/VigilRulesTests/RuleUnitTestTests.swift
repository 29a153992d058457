import Testing
import VigilModel
@testable import VigilRules
import VigilTestSupport

@Suite("Rule unit tests (vigil test rules)")
struct RuleUnitTestTests {
    @Test("promtool's value notation expands")
    func notation() throws {
        let values = try SeriesValues.parse("1+2x3 5-1x2 7x2 _ _x2 stale -1 Inf 1e3+1e2x1")
        let expected: [Double?] = [1, 3, 5, 7, 5, 4, 3, 7, 7, 7, nil, nil, nil, StaleNaN.value, -1, .infinity, 1000, 1100]
        #expect(values.count == expected.count)
        for (got, want) in zip(values, expected) {
            #expect(got?.bitPattern == want?.bitPattern)
        }
        #expect(throws: SeriesValues.NotationError.self) { try SeriesValues.parse("1+x") }
    }

    static let rules = """
        groups:
        - name: example
          rules:
          - alert: InstanceDown
            expr: up == 0
            for: 5m
            labels: {severity: page}
            annotations:
              summary: "Instance {{ $labels.instance }} down"
          - record: job:up:sum
            expr: sum by (job) (up)
        """

    static func testFile(goroutines: Int, lateEvalTime: String) -> String {
        """
        rule_files: [alerts.yml]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'up{job="prometheus", instance="localhost:9090"}'
                values: '0x14'
              - series: 'up{job="node", instance="localhost:9100"}'
                values: '1+0x6 0x7'
              - series: 'go_goroutines{job="prometheus", instance="localhost:9090"}'
                values: '10+10x2 30+20x5'
            alert_rule_test:
              - eval_time: 10m
                alertname: InstanceDown
                exp_alerts:
                  - exp_labels: {severity: page, instance: "localhost:9090", job: prometheus}
                    exp_annotations: {summary: "Instance localhost:9090 down"}
              - eval_time: \(lateEvalTime)
                alertname: InstanceDown
                exp_alerts: []
            promql_expr_test:
              - expr: go_goroutines > 5
                eval_time: 4m
                exp_samples:
                  - labels: 'go_goroutines{job="prometheus",instance="localhost:9090"}'
                    value: \(goroutines)
              - expr: job:up:sum
                eval_time: 10m
                exp_samples:
                  - labels: 'job:up:sum{job="prometheus"}'
                    value: 0
                  - labels: 'job:up:sum{job="node"}'
                    value: 0
        """
    }

    @Test("a passing file has no failures; wrong expectations are reported with what was got")
    func runsTests() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("alerts.yml", Self.rules)
        let passing = try directory.write("pass.yml", Self.testFile(goroutines: 50, lateEvalTime: "4m"))
        #expect(try RuleTestRunner.run(path: passing, workDirectory: directory.path).isEmpty)

        let failing = try directory.write("fail.yml", Self.testFile(goroutines: 51, lateEvalTime: "12m"))
        let failures = try RuleTestRunner.run(path: failing, workDirectory: directory.path)
        #expect(failures.count == 2)
        let alertFailure = failures.first ?? ""
        #expect(alertFailure.hasPrefix("    alertname: InstanceDown, time: 12m, \n        exp:[], \n        got:[\n"))
        #expect(alertFailure.contains(#"Labels:{alertname="InstanceDown", instance="localhost:9100", job="node", severity="page"}"#))
        let exprFailure = failures.last ?? ""
        #expect(exprFailure.contains(#"exp: {__name__="go_goroutines", instance="localhost:9090", job="prometheus"} 5.1E+01"#))
        #expect(exprFailure.contains(#"got: {__name__="go_goroutines", instance="localhost:9090", job="prometheus"} 5E+01"#))
    }
}
