import Logging
import ServiceLifecycle
import VigilTSDB

/// Keeps the metrics store open while the server runs: every ``interval`` it cuts the head into
/// blocks, compacts and applies retention; on graceful shutdown it closes the store (flushing the
/// WAL). First in the service group, so it stops after everything that writes to it.
struct MetricsStorageService: Service {
    let tsdb: TSDB
    let logger: Logger
    var interval: Duration = .seconds(60)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // Runs on the cooperative pool: a pass is short except when compacting large blocks.
                let report = try tsdb.maintain()
                if !report.isEmpty {
                    logger.info(
                        "TSDB maintenance",
                        metadata: [
                            "head_blocks": "\(report.headBlocks)", "compacted_blocks": "\(report.compactedBlocks)",
                            "deleted_blocks": "\(report.deletedBlocks)", "wal_checkpoint": "\(report.checkpointed)",
                            "head_snapshot_bytes": "\(report.headSnapshot?.bytes ?? 0)",
                        ]
                    )
                }
            } catch {
                logger.error("TSDB maintenance failed; retrying next interval", metadata: ["err": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        try tsdb.close()
    }
}
