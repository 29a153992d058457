import ArgumentParser
import Logging
import VigilModel
import VigilServer

/// `--log.level` and `--log.format`, shared by `vigil server` and `vigil agent`.
struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log.level"), help: "Only log messages with this severity or above: trace, debug, info, warn, error.")
    var logLevel: LogLevelArgument = .info

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
}

/// Parses `--listen`, turning a bad address into a usage error.
func parseListenAddress(_ text: String) throws -> ListenAddress {
    do {
        return try ListenAddress(parsing: text)
    } catch {
        throw ValidationError(error.description)
    }
}

/// Runs a server or agent until it stops, mapping start-up failures to exit codes: 2 for a bad
/// config, 1 for anything else.
func runServer(_ options: ServerOptions, logger: Logger) async throws {
    // One malloc arena per core rather than glibc's eight: the head's memory is allocated from
    // many threads and freed memory stranded in idle arenas showed up as resident size.
    ProcessMemory.limitArenasToCores()
    do {
        try await VigilServer(options: options, logger: logger).run()
    } catch let error as ServerStartError {
        logger.error("Cannot start", metadata: ["err": "\(error)"])
        StandardError.write("vigil: \(error)\n")
        switch error {
        case .config, .collector: throw VigilExit.badInput
        default: break
        }
        throw VigilExit.failure
    } catch {
        logger.error("Stopped on an error", metadata: ["err": "\(error)"])
        throw VigilExit.failure
    }
}

/// Runs a collect-only agent until it stops, with the exit codes of ``runServer(_:logger:)``.
func runCollectorServer(_ server: CollectorServer, logger: Logger) async throws {
    ProcessMemory.limitArenasToCores()
    do {
        try await server.run()
    } catch let error as ServerStartError {
        logger.error("Cannot start", metadata: ["err": "\(error)"])
        StandardError.write("vigil: \(error)\n")
        throw VigilExit.badInput
    } catch {
        logger.error("Stopped on an error", metadata: ["err": "\(error)"])
        throw VigilExit.failure
    }
}
