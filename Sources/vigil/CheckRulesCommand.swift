import ArgumentParser
import VigilRules

/// `vigil check rules FILE…`: validate Prometheus rule files as `promtool check rules` does.
struct CheckRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check that rule files are valid.",
        discussion: """
            Each file is loaded exactly as `vigil server` loads the files named by
            rule_files: unknown fields, duplicate group names, rules with both or
            neither of record and alert, invalid metric and label names, PromQL
            that does not parse and templates that do not parse are errors naming
            file:line:column. Exits 0 when every file is valid, 1 otherwise.

            With --logql the files are checked as the files named by log_rule_files:
            every expr must be a LogQL metric query (a log query is an error).

            Examples:
              vigil check rules rules.yml
              vigil check rules rules/*.yml
              vigil check rules --logql log-rules.yml
            """
    )

    @Flag(help: "Check the expressions as LogQL (files for log_rule_files) instead of PromQL.")
    var logql = false

    @Argument(help: ArgumentHelp("The rule files to check.", valueName: "file"))
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            print("Checking \(file)")
            do {
                let rules = try RuleFile.load(path: file, language: logql ? .logQL : .promQL)
                print("  SUCCESS: \(rules.ruleCount) rules found")
            } catch {
                // As promtool: the verdict line and the errors go to standard error.
                StandardError.write("  FAILED:\n\(error)\n")
                failed = true
            }
            print("")
        }
        if failed { throw ExitCode.failure }
    }
}
