import ArgumentParser
import VigilAlertmanager
import VigilConfig
import VigilModel

/// `vigil check alertmanager-config FILE…`: validate alertmanager.yml files as `amtool check-config` does.
struct CheckAlertmanagerConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alertmanager-config",
        abstract: "Check that Alertmanager configuration files (and their templates) are valid.",
        discussion: """
            Each file is loaded as the embedded Alertmanager loads it: unknown
            fields, undefined receivers and time intervals, invalid matchers and
            intervals are errors naming file:line:column. The templates it names
            are parsed. The report has amtool's layout. Exits 0 when every file
            is valid, 2 otherwise.

            Example:
              vigil check alertmanager-config alertmanager.yml
            """
    )

    @Argument(help: ArgumentHelp("The configuration files to check.", valueName: "file"))
    var files: [String]

    func run() throws {
        var failed = 0
        for file in files {
            var report = "Checking '\(file)'"
            do {
                let config = try AlertmanagerConfiguration.load(path: file)
                report += "  SUCCESS\nFound:\n - global config\n - route\n"
                report += " - \(config.inhibitRules.count) inhibit rules\n"
                report += " - \(config.receivers.count) receivers\n"
                report += " - \(config.templates.count) templates\n"
                if !config.templates.isEmpty {
                    do {
                        _ = try NotificationTemplates.load(globs: config.templates)
                        report += "  SUCCESS\n"
                    } catch {
                        report += "  FAILED: \(error)\n"
                        failed += 1
                    }
                }
            } catch {
                report += "  FAILED: \(error)\n"
                failed += 1
            }
            print(report)
        }
        if failed > 0 {
            StandardError.write("vigil: error: failed to validate \(failed) file(s)\n")
            throw VigilExit.badInput
        }
    }
}

/// `vigil check routes --config.file F [--tree] [--verify.receivers r1,r2] k=v…`: which receivers
/// an alert with these labels is routed to, as `amtool config routes test` answers.
struct CheckRoutesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes",
        abstract: "Print the receivers an alert with the given labels is routed to.",
        discussion: """
            Prints the receivers' names comma-separated, in routing-tree order,
            exactly as `amtool config routes test` does. With --tree, first
            prints the routes the alert passes through. With --verify.receivers,
            exits 1 unless the receivers are exactly those given. With --show,
            prints the whole routing tree (as `amtool config routes`).

            Examples:
              vigil check routes --config.file am.yml service=db severity=page
              vigil check routes --config.file am.yml --tree service=db
              vigil check routes --config.file am.yml --verify.receivers a,b k=v
              vigil check routes --config.file am.yml --show
            """
    )

    @Option(name: .customLong("config.file"), help: "The Alertmanager configuration file.")
    var configFile: String

    @Flag(name: .customLong("tree"), help: "Also print the routes the alert passes through.")
    var tree = false

    @Flag(name: .customLong("show"), help: "Print the whole routing tree instead (amtool config routes show).")
    var show = false

    @Option(name: .customLong("verify.receivers"), help: "Fail unless the alert is routed to exactly these receivers (comma-separated).")
    var expectedReceivers: String?

    @Argument(help: ArgumentHelp("The alert's labels.", valueName: "name=value"))
    var labels: [String] = []

    func run() throws {
        let config: AlertmanagerConfiguration
        do {
            config = try AlertmanagerConfiguration.load(path: configFile)
        } catch {
            StandardError.write("vigil: error: \(error)\n")
            throw VigilExit.badInput
        }
        let root = Route(config.route)
        if show {
            print("Routing tree:\n" + RouteTree.whole(root).rendered)
            return
        }
        var builder = LabelsBuilder()
        for text in labels {
            let matcher: LabelMatcher
            do {
                matcher = try AlertMatchers.parseMatcher(text)
            } catch {
                StandardError.write("vigil: error: Failed to parse labels: \(error)\n")
                throw VigilExit.badInput
            }
            guard matcher.type == .equal else {
                StandardError.write("vigil: error: Failed to parse labels: labels must be specified as key=value pairs\n")
                throw VigilExit.badInput
            }
            builder.set(matcher.name, matcher.value)
        }
        let alert = builder.build()
        if tree {
            print("Matching routes:\n" + RouteTree.matching(root, labels: alert).rendered + "\n")
        }
        let receivers = root.match(alert).map(\.options.receiver).joined(separator: ",")
        print(receivers)
        if let expectedReceivers, !expectedReceivers.isEmpty, expectedReceivers != receivers {
            print("WARNING: Expected receivers did not match resolved receivers.")
            throw VigilExit.failure
        }
    }
}
