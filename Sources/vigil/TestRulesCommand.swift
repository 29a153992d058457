import ArgumentParser
import Foundation
import VigilRules

/// `vigil test`: unit tests, like `promtool test`.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run unit tests.",
        subcommands: [TestRulesCommand.self]
    )
}

/// `vigil test rules FILE…`: run promtool rule unit-test files.
struct TestRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Run rule unit tests (promtool's test file format).",
        discussion: """
            Each file names rule_files (relative to the file), an evaluation_interval
            and tests: input_series in promtool's notation ('0+10x5 _ stale'), and
            alert_rule_test (the firing alerts expected at eval_time) and
            promql_expr_test (the samples a query returns at eval_time). Rules are
            evaluated from time 0 every evaluation_interval. Exits 0 when every test
            passes, 1 otherwise.

            Example:
              vigil test rules tests.yml
            """
    )

    @Argument(help: ArgumentHelp("The test files to run.", valueName: "file"))
    var files: [String]

    func run() throws {
        let work = NSTemporaryDirectory() + "vigil-test-rules-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        var failed = false
        for file in files {
            print("Unit Testing:  \(file)")
            do {
                let failures = try RuleTestRunner.run(path: file, workDirectory: work)
                if failures.isEmpty {
                    print("  SUCCESS")
                } else {
                    print("  FAILED:")
                    // As promtool: each failure followed by an empty line.
                    for failure in failures {
                        print(failure)
                        print("")
                    }
                    failed = true
                }
            } catch {
                print("  FAILED:")
                print("    \(error)")
                failed = true
            }
            print("")
        }
        if failed { throw ExitCode.failure }
    }
}
