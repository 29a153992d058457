import ArgumentParser
import VigilConfig

/// `vigil check`: validate files without starting anything, like `promtool check`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check files for validity.",
        discussion: """
            Examples:
              vigil check config prometheus.yml
              vigil check rules rules/*.yml
              curl -s localhost:9100/metrics | vigil check metrics
            """,
        subcommands: [CheckConfigCommand.self, CheckRulesCommand.self, CheckMetricsCommand.self]
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
            errors naming file:line:column. Exits 0 when every file is valid, 2
            otherwise.

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
            do {
                let config = try PrometheusConfig.load(path: file)
                print("  SUCCESS: \(file) is valid prometheus config file syntax (\(config.scrapeConfigs.count) scrape configs)")
            } catch {
                print("  FAILED: \(error)")
                failed = true
            }
            print("")
        }
        if failed { throw VigilExit.badInput }
    }
}
