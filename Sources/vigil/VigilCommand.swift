import ArgumentParser
import VigilLogging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `vigil` command: one binary, one subcommand per role.
@main
struct VigilCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "One binary for metrics, alerts, logs and Kubernetes events.",
        discussion: """
            Vigil reads your prometheus.yml unchanged and answers the Prometheus HTTP API.

            Examples:
              vigil server                       # embedded default, 127.0.0.1:9470
              vigil server --config prometheus.yml
              vigil query 'sum by (job) (rate(http_requests_total[5m]))'
              echo 'backup_ok 1' | vigil push --job backup   # Pushgateway API
              vigil check config prometheus.yml  # validate without starting
              vigil check rules rules.yml        # validate rule files, as promtool
              vigil test rules tests.yml         # run promtool rule unit tests
              curl -s localhost:9100/metrics | vigil check metrics
              vigil tsdb analyze ./data
              vigil version

            Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad config.
            """,
        subcommands: [
            ServerCommand.self, AgentCommand.self, QueryCommand.self, PushCommand.self, ImportCommand.self, CheckCommand.self,
            TestCommand.self, SilenceCommand.self,
            TSDBCommand.self, LogsCommand.self, VersionCommand.self,
        ]
    )

    /// Runs the chosen subcommand and maps failures to Vigil's exit codes: 2 for bad usage or a bad
    /// config, 1 for anything that failed at run time (ArgumentParser alone would exit 64 on usage errors).
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            finish(with: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch {
            finish(with: error)
        }
    }

    private static func finish(with error: any Error) -> Never {
        if let exitCode = error as? ExitCode {
            terminateProcess(exitCode.rawValue)
        }
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { print(message) }
            terminateProcess(0)
        }
        if !message.isEmpty {
            StandardError.write(message + "\n")
        }
        let isUsage = code == .validationFailure || error is CleanExit
        terminateProcess(isUsage ? 2 : 1)
    }
}

/// A failure the command has already explained; carries Vigil's exit code.
enum VigilExit {
    /// Bad usage or a bad config.
    static let badInput = ExitCode(2)
    /// Anything that failed at run time.
    static let failure = ExitCode(1)
}

/// Writes to standard error without Foundation.
enum StandardError {
    static func write(_ text: String) {
        LogOutput.standardError.write(text)
    }
}


/// Ends the process with `code` (outside the command type, whose members shadow libc's `exit`).
private func terminateProcess(_ code: Int32) -> Never {
    exit(code)
}
