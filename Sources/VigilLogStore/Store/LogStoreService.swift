public import Logging
public import ServiceLifecycle

/// Runs the store's upkeep under the server's `ServiceGroup`: seals aged and idle heads and
/// applies retention every ``maintenanceInterval``, checkpoints every ``checkpointInterval``, and
/// on graceful shutdown seals everything and closes the store (so it sits early in the group and
/// stops after HTTP).
public struct LogStoreService: Service {
    /// The store run.
    public let store: LogStore
    let logger: Logger
    /// How often heads are checked and retention applied.
    public var maintenanceInterval: Duration = .seconds(30)
    /// How often sealed chunks are written out and the WAL truncated.
    public var checkpointInterval: Duration = .seconds(300)

    /// A service for `store`.
    public init(store: LogStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Runs until graceful shutdown, then closes the store.
    public func run() async throws {
        var sinceCheckpoint = Duration.zero
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let interval = maintenanceInterval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            if Task.isCancelled || Task.isShuttingDownGracefully { break }
            store.maintain()
            sinceCheckpoint += maintenanceInterval
            if sinceCheckpoint >= checkpointInterval {
                sinceCheckpoint = .zero
                do {
                    try store.checkpoint(sealHeads: false)
                } catch {
                    logger.error("Log store checkpoint failed", metadata: ["err": "\(error)"])
                }
            }
        }
        try store.close()
    }
}
