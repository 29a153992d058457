import ArgumentParser
import Logging
import VigilModel
import VigilServer

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
