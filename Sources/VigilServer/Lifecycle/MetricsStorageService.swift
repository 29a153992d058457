import ServiceLifecycle
import VigilTSDB

/// Keeps the metrics store open while the server runs and closes it (flushing the WAL) on
/// graceful shutdown. First in the service group, so it stops after everything that writes to it.
struct MetricsStorageService: Service {
    let tsdb: TSDB

    func run() async throws {
        try? await gracefulShutdown()
        try tsdb.close()
    }
}
