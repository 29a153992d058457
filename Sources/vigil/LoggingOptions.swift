import ArgumentParser
import Logging
import VigilLogging
import VigilNodeAgent

/// `--log.level` and `--log.format`, shared by `vigil server` and `vigil agent`.
struct LoggingOptions: ParsableArguments {
    /// `--log.level`.
    @Option(name: .customLong("log.level"), help: "Only log messages with this severity or above: trace, debug, info, warn, error.")
    var logLevel: LogLevelArgument = .info

    /// `--log.format`.
    @Option(name: .customLong("log.format"), help: "Output format of log messages: logfmt or json.")
    var logFormat: LogFormatArgument = .logfmt

    /// Installs the log handler and returns the process's logger.
    func bootstrap(label: String) -> Logger {
        logFormat.format.bootstrap(level: logLevel.level)
        return Logger(label: label)
    }

    /// The flags as given, for `/api/v1/status/flags`.
    var flags: [(name: String, value: String)] {
        [("log.format", logFormat.rawValue), ("log.level", logLevel.rawValue)]
    }

    /// The options at their defaults.
    init() {}
}

/// `--log.format` values.
enum LogFormatArgument: String, ExpressibleByArgument, CaseIterable, Sendable {
    case logfmt, json

    /// The handler format.
    var format: LogFormat {
        switch self {
        case .logfmt: .logfmt
        case .json: .json
        }
    }
}

/// `--log.level` values, with Prometheus's spellings (`warn`).
enum LogLevelArgument: String, ExpressibleByArgument, CaseIterable, Sendable {
    case trace, debug, info, warn, error

    /// The swift-log level.
    var level: Logger.Level {
        switch self {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .warn: .warning
        case .error: .error
        }
    }
}

/// Parses `--listen`, turning a bad address into a usage error.
func parseListenAddress(_ text: String) throws -> ListenAddress {
    do {
        return try ListenAddress(parsing: text)
    } catch {
        throw ValidationError(error.description)
    }
}
