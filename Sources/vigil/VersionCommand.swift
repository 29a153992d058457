import VigilModel
import VigilNodeAgent
import ArgumentParser
import VigilServer

/// `vigil version`: what this binary is, in the shape `prometheus --version` prints.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version and build information.",
        discussion: """
            Examples:
              vigil version
            """
    )

    func run() {
        print("vigil, version \(BuildInfo.version) (branch: \(BuildInfo.branch))")
        print("  swift version:    \(BuildInfo.swiftVersion)")
        print("  platform:         \(BuildInfo.platform)")
    }
}
