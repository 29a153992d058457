import VigilTestSupport
import Foundation
import Testing

/// The `vigil` binary as a user runs it: exit codes, messages, signals.
@Suite(.serialized) struct CommandLineTests {
    @Test func versionPrintsTheBuild() async throws {
        let result = try await VigilProcess.run(["version"])
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("vigil, version "))
    }

    @Test func helpHasExamples() async throws {
        for arguments in [["--help"], ["server", "--help"], ["check", "config", "--help"], ["version", "--help"]] {
            let result = try await VigilProcess.run(arguments)
            #expect(result.status == 0, "\(arguments)")
            #expect(result.out.contains("Examples:"), "\(arguments) help lacks examples")
        }
    }

    @Test func badUsageExitsTwo() async throws {
        #expect(try await VigilProcess.run(["no-such-command"]).status == 2)
        #expect(try await VigilProcess.run(["server", "--no-such-flag"]).status == 2)
        let listen = try await VigilProcess.run(["server", "--listen", "nonsense"])
        #expect(listen.status == 2)
        #expect(listen.err.contains("invalid listen address"))
        let grace = try await VigilProcess.run(["server", "--rules.alert.for-grace-period", "5x"])
        #expect(grace.status == 2)
        #expect(grace.err.contains("--rules.alert: unknown unit \"x\" in duration \"5x\""))
    }

    @Test func checkConfigExitCodes() async throws {
        let temp = try TemporaryDirectory()
        let good = try temp.write("good.yml", "scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['x:1']\n")
        let bad = try temp.write("bad.yml", "scrape_configs:\n  - job_name: a\n    scrape_interval: 5q\n")
        let ok = try await VigilProcess.run(["check", "config", good])
        #expect(ok.status == 0)
        #expect(ok.out.contains("SUCCESS"))
        let failed = try await VigilProcess.run(["check", "config", bad])
        #expect(failed.status == 2)
        #expect(failed.out.contains("FAILED"))
        #expect(failed.out.contains("bad.yml:3:"), "the error names file:line: \(failed.out)")
        #expect(try await VigilProcess.run(["check", "config", temp.path + "/missing.yml"]).status == 2)
    }

    @Test func checkRulesOutputAndExitCodes() async throws {
        let temp = try TemporaryDirectory()
        let good = try temp.write(
            "good.yml", "groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: up\n      - alert: A\n        expr: up == 0\n")
        let bad = try temp.write("bad.yml", "groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: sum(\n")
        let ok = try await VigilProcess.run(["check", "rules", good])
        #expect(ok.status == 0)
        #expect(ok.out == "Checking \(good)\n  SUCCESS: 2 rules found\n\n")
        let failed = try await VigilProcess.run(["check", "rules", good, bad])
        #expect(failed.status == 1)
        // As promtool: "Checking" on standard output, the verdict and the errors on standard error.
        #expect(failed.out.contains("Checking \(bad)\n\n"), "\(failed.out)")
        #expect(failed.err.contains("  FAILED:\n\(bad):5:15: groups[0].rules[0].expr: could not parse expression"), "\(failed.err)")
        #expect(try await VigilProcess.run(["check", "rules", temp.path + "/missing.yml"]).status == 1)
        // `check config` checks the rule files the config names.
        let config = try temp.write("prometheus.yml", "rule_files: ['good.yml', 'bad.yml']\n")
        let checked = try await VigilProcess.run(["check", "config", config])
        #expect(checked.status == 2)
        #expect(checked.out.contains("  SUCCESS: 2 rule files found\n"))
        #expect(checked.out.contains("Checking \(good)\n  SUCCESS: 2 rules found\n"))
        #expect(checked.out.contains("Checking \(bad)\n  FAILED:\n"))
    }

    @Test func testRulesOutputAndExitCodes() async throws {
        let temp = try TemporaryDirectory()
        _ = try temp.write("rules.yml", "groups:\n  - name: g\n    rules:\n      - record: job:up\n        expr: sum by (job) (up)\n")
        let test = """
            rule_files: [rules.yml]
            tests:
              - input_series:
                  - series: 'up{job="a"}'
                    values: '1x5'
                promql_expr_test:
                  - expr: job:up
                    eval_time: 2m
                    exp_samples:
                      - labels: 'job:up{job="a"}'
                        value: VALUE
            """
        let passing = try temp.write("pass.yml", test.replacingOccurrences(of: "VALUE", with: "1"))
        let ok = try await VigilProcess.run(["test", "rules", passing])
        #expect(ok.status == 0)
        #expect(ok.out == "Unit Testing:  \(passing)\n  SUCCESS\n\n")
        let failing = try temp.write("fail.yml", test.replacingOccurrences(of: "VALUE", with: "2"))
        let failed = try await VigilProcess.run(["test", "rules", failing])
        #expect(failed.status == 1)
        #expect(failed.out.contains("  FAILED:\n    expr: \"job:up\", time: 2m,\n"))
    }

    @Test func serverWithBadConfigExitsTwo() async throws {
        let temp = try TemporaryDirectory()
        let bad = try temp.write("bad.yml", "globall: {}\n")
        let result = try await VigilProcess.run(["server", "--config", bad, "--data-dir", temp.path + "/data", "--listen", "127.0.0.1:0"])
        #expect(result.status == 2)
        #expect(result.err.contains("bad.yml:1:1"), "\(result.err)")
    }

    @Test func sighupReloadsAndSigtermStopsCleanly() async throws {
        let temp = try TemporaryDirectory()
        let config = try temp.write("p.yml", "scrape_configs:\n  - job_name: a\n")
        let server = try VigilProcess(
            ["server", "--config", config, "--data-dir", temp.path + "/data", "--listen", "127.0.0.1:0"]
        )
        try server.start()
        defer { if server.process.isRunning { server.process.terminate() } }
        #expect(await server.waitForLog("Server is ready to receive web requests"), "\(server.standardError)")

        _ = try temp.write("p.yml", "scrape_configs:\n  - job_name: b\n")
        server.signal(SIGHUP)
        #expect(await server.waitForLog("Completed loading of configuration file"), "\(server.standardError)")

        _ = try temp.write("p.yml", "scrape_configs:\n  - job_name: [not, a, string]\n")
        server.signal(SIGHUP)
        #expect(await server.waitForLog("Error reloading config"), "\(server.standardError)")
        #expect(server.process.isRunning, "a bad reload must not stop the server")

        server.signal(SIGTERM)
        #expect(server.waitForExit(timeout: 30))
        #expect(server.process.terminationStatus == 0, "\(server.standardError)")
        #expect(server.standardError.contains("See you next time!"))
    }

    @Test func secondServerOnSameDataDirFails() async throws {
        let temp = try TemporaryDirectory()
        let first = try VigilProcess(["server", "--data-dir", temp.path + "/data", "--listen", "127.0.0.1:0"])
        try first.start()
        defer { first.signal(SIGKILL) }
        #expect(await first.waitForLog("Server is ready"), "\(first.standardError)")
        let second = try await VigilProcess.run(["server", "--data-dir", temp.path + "/data", "--listen", "127.0.0.1:0"])
        #expect(second.status == 1)
        #expect(second.err.contains("another process holds the lock"))
    }
}
