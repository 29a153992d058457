import ArgumentParser
import VigilConfig
import VigilRules

/// `vigil check`: validate files without starting anything, like `promtool check`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check files for validity.",
        discussion: """
            Examples:
              vigil check config prometheus.yml
              vigil check rules rules/*.yml
              vigil check alertmanager-config alertmanager.yml
              vigil check routes --config.file alertmanager.yml service=db severity=page
              curl -s localhost:9100/metrics | vigil check metrics
            """,
        subcommands: [
            CheckConfigCommand.self, CheckRulesCommand.self, CheckMetricsCommand.self,
            CheckAlertmanagerConfigCommand.self, CheckRoutesCommand.self,
        ]
    )
}

/// `vigil check config FILE…`: parse and validate config files as `vigil server` would load them.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check that configuration files are valid.",
        discussion: """
            Each file is loaded exactly as `vigil server --config FILE` loads it:
            unknown fields, wrong types, bad durations and invalid regexes are
            errors naming file:line:column. The rule files it names are checked
            as `vigil check rules` checks them. Exits 0 when every file is valid,
            2 otherwise.

            Examples:
              vigil check config prometheus.yml
              vigil check config a.yml b.yml
            """
    )

    @Argument(help: ArgumentHelp("The configuration files to check.", valueName: "file"))
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            print("Checking \(file)")
            let ruleFiles: [String]
            do {
                let config = try PrometheusConfig.load(path: file)
                ruleFiles = try config.ruleFilePaths()
                print("  SUCCESS: \(ruleFiles.count) rule files found")
                print("  SUCCESS: \(file) is valid prometheus config file syntax (\(config.scrapeConfigs.count) scrape configs)")
            } catch {
                print("  FAILED: \(error)")
                failed = true
                print("")
                continue
            }
            print("")
            // As promtool: the rule files the config names are checked too.
            for ruleFile in ruleFiles {
                print("Checking \(ruleFile)")
                do {
                    print("  SUCCESS: \(try RuleFile.load(path: ruleFile).ruleCount) rules found")
                } catch {
                    print("  FAILED:")
                    print(error)
                    failed = true
                }
                print("")
            }
        }
        if failed { throw VigilExit.badInput }
    }
}
