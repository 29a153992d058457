import Testing
import VigilConfig
import VigilLogQL
import VigilModel
import VigilRules
import VigilTestSupport

/// Rules from `log_rule_files`: LogQL metric queries over a log source, with the metric rules'
/// recording, alert state machine and `ALERTS` series.
@Suite("LogQL rules")
struct LogQLRuleTests {
    private let api: Labels = ["app": "api", "env": "prod"]

    private func logGroup(_ yaml: String, interval: Int64 = minute) throws -> RuleGroup {
        let parsed = try RuleFile.parse(yaml: yaml, fileName: "log-rules.yml", language: .logQL)
        return RuleGroup(
            file: "log-rules.yml", definition: parsed.groups[0], defaultInterval: interval, language: parsed.language)
    }

    private func environment(_ store: RuleTestStore, _ source: InMemoryLogSource) -> RuleEnvironment {
        var environment = store.environment
        environment.logQuery = RuleEnvironment.logQL(LogQLEngine(source: source))
        return environment
    }

    /// Appends `count` lines reading `line` at `time` (ms) plus i ms.
    private func write(_ source: InMemoryLogSource, _ labels: Labels, _ line: String, count: Int, at time: Int64) {
        for index in 0..<count {
            source.append(labels, timestamp: (time + Int64(index)) * 1_000_000, line: line)
        }
    }

    @Test("a LogQL recording rule writes its vector into the TSDB under the rule's name and labels")
    func recording() async throws {
        let store = try RuleTestStore()
        let source = InMemoryLogSource()
        write(source, api, "level=warn msg=\"failed login\" user=ann", count: 3, at: t0 - 30_000)
        write(source, api, "level=info msg=\"login ok\" user=bob", count: 2, at: t0 - 20_000)
        write(source, ["app": "web", "env": "prod"], "failed login", count: 1, at: t0 - 10_000)
        // Outside the 1m range: not counted.
        write(source, api, "failed login", count: 4, at: t0 - 2 * minute)
        let rules = try logGroup("""
            groups:
              - name: logins
                rules:
                  - record: app:failed_logins:count1m
                    expr: sum by (app) (count_over_time({env="prod"} |= "failed login" [1m]))
                    labels: {source: logs}
            """)
        let environment = environment(store, source)
        rules.evaluate(at: t0, environment: await rules.prepare(at: t0, environment: environment))
        let recorded = try store.samples("app:failed_logins:count1m")
        #expect(recorded.count == 2)
        let apiSamples = recorded[["__name__": "app:failed_logins:count1m", "app": "api", "source": "logs"]]
        #expect(apiSamples?.map(\.0) == [t0])
        #expect(apiSamples?.map(\.1) == [3])
        #expect(recorded[["__name__": "app:failed_logins:count1m", "app": "web", "source": "logs"]]?.map(\.1) == [1])
        #expect(rules.ruleSnapshots[0].status.health == .ok)
    }

    @Test("a LogQL alert goes pending, fires after `for`, resolves, and writes ALERTS, on log lines")
    func alerting() async throws {
        let store = try RuleTestStore()
        let source = InMemoryLogSource()
        let rules = try logGroup("""
            groups:
              - name: logins
                rules:
                  - alert: FailedLogins
                    expr: sum by (app) (count_over_time({app="api"} |= "failed login" [1m])) >= 5
                    for: 1m
                    labels: {severity: page}
                    annotations:
                      summary: '{{ $value }} failed logins on {{ $labels.app }} in a minute'
            """)
        let environment = environment(store, source)
        func evaluate(_ time: Int64) async {
            rules.evaluate(at: time, environment: await rules.prepare(at: time, environment: environment))
        }

        write(source, api, "failed login for ann", count: 4, at: t0 - 30_000)
        await evaluate(t0)
        #expect(rules.ruleSnapshots[0].state == .inactive)

        write(source, api, "failed login for bob", count: 6, at: t0 + minute - 30_000)
        await evaluate(t0 + minute)
        var snapshot = rules.ruleSnapshots[0]
        #expect(snapshot.state == .pending)
        let alert = try #require(snapshot.alerts.first)
        #expect(alert.labels == ["alertname": "FailedLogins", "app": "api", "severity": "page"])
        #expect(alert.annotations["summary"] == "6 failed logins on api in a minute")

        write(source, api, "failed login for cy", count: 5, at: t0 + 2 * minute - 30_000)
        await evaluate(t0 + 2 * minute)
        snapshot = rules.ruleSnapshots[0]
        #expect(snapshot.state == .firing)
        #expect(snapshot.alerts.first?.activeAt == t0 + minute)

        // A quiet minute: the count drops under 5 and the alert resolves.
        write(source, api, "failed login for dee", count: 1, at: t0 + 3 * minute - 30_000)
        await evaluate(t0 + 3 * minute)
        #expect(rules.ruleSnapshots[0].state == .inactive)

        let alerts = try store.samples("ALERTS")
        let firing = alerts[[
            "__name__": "ALERTS", "alertname": "FailedLogins", "alertstate": "firing", "app": "api", "severity": "page",
        ]]
        // Firing at t0+2m, then a stale marker when it resolved.
        #expect(firing?.map(\.0) == [t0 + 2 * minute, t0 + 3 * minute])
        #expect(firing?.map(\.1.isNaN) == [false, true])
        let pending = alerts[[
            "__name__": "ALERTS", "alertname": "FailedLogins", "alertstate": "pending", "app": "api", "severity": "page",
        ]]
        #expect(pending?.first?.0 == t0 + minute)
    }

    @Test("a LogQL query that fails at evaluation marks the rule unhealthy with the engine's error")
    func evaluationError() async throws {
        let store = try RuleTestStore()
        let rules = try logGroup("""
            groups:
              - name: g
                rules:
                  - record: lines:count
                    expr: count_over_time({app="api"}[1m])
            """)
        // No log store: the group loads in code but every evaluation fails, naming why.
        rules.evaluate(at: t0, environment: await rules.prepare(at: t0, environment: store.environment))
        #expect(rules.ruleSnapshots[0].status.health == .err)
        #expect(rules.ruleSnapshots[0].status.lastError?.contains("log store") == true)
    }

    @Test("LogQL rule files are checked as LogQL: errors name file:line:column of the expr")
    func parseErrors() throws {
        func failure(_ yaml: String, _ language: RuleQueryLanguage) -> ConfigError? {
            do {
                _ = try RuleFile.parse(yaml: yaml, fileName: "log-rules.yml", language: language)
                return nil
            } catch {
                return error
            }
        }
        let logQuery = """
            groups:
              - name: g
                rules:
                  - alert: Errors
                    expr: '{app="api"} |= "error"'
            """
        let logError = try #require(failure(logQuery, .logQL))
        #expect(logError.file == "log-rules.yml")
        #expect(logError.line == 5)
        #expect(logError.message.contains("must be a metric query"))
        // The same text is not PromQL either.
        #expect(failure(logQuery, .promQL) != nil)

        // PromQL that is not LogQL: a bare metric name has no stream selector.
        let promQL = """
            groups:
              - name: g
                rules:
                  - record: a:b
                    expr: rate(http_requests_total[5m])
            """
        #expect(failure(promQL, .promQL) == nil)
        let promError = try #require(failure(promQL, .logQL))
        #expect(promError.line == 5)
        #expect(promError.description.contains("log-rules.yml:5"))

        // Text both languages accept loads either way; the file list decides.
        let both = """
            groups:
              - name: g
                rules:
                  - record: a:b
                    expr: sum(count_over_time({app="api"}[5m]))
            """
        #expect(failure(both, .promQL) == nil)
        #expect(failure(both, .logQL) == nil)
    }

    @Test("log_rule_files without a log store is a config error naming the setting")
    func needsLogStore() async throws {
        let store = try RuleTestStore()
        let directory = try TemporaryDirectory()
        _ = try directory.write("log-rules.yml", """
            groups:
              - name: g
                rules: [{record: 'a:b', expr: 'sum(count_over_time({app="api"}[5m]))'}]
            """)
        let configPath = try directory.write("prometheus.yml", "log_rule_files: [log-rules.yml]\n")
        let config = try PrometheusConfig.load(path: configPath)
        let manager = RuleManager(environment: store.environment, clock: ManualRuleClock(t0))
        var thrown: ConfigError?
        do {
            try await manager.apply(config)
        } catch let error as ConfigError {
            thrown = error
        }
        #expect(thrown?.fieldPath == "log_rule_files")
        #expect(thrown?.message.contains("log store") == true)

        // With one, the file loads as a LogQL group.
        var environment = store.environment
        environment.logQuery = RuleEnvironment.logQL(LogQLEngine(source: InMemoryLogSource()))
        let withLogs = RuleManager(environment: environment, clock: ManualRuleClock(t0))
        try await withLogs.apply(config)
        #expect(withLogs.ruleGroups.map(\.language) == [.logQL])
    }
}
