import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the config whenever the process receives SIGHUP, as Prometheus does.
struct ReloadSignalService: Service {
    let configManager: ConfigManager
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            logger.info("Received SIGHUP, reloading configuration")
            // A failed reload is logged by the manager and keeps the old config; the service goes on.
            try? await configManager.reload()
        }
    }
}
