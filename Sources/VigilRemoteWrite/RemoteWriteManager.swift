public import Logging
public import ServiceLifecycle
public import VigilConfig
public import VigilModel
public import VigilTSDB

/// Keeps one ``RemoteWriteQueue`` per `remote_write` entry, fed by the TSDB's commits, and
/// restarts only the queues whose config changed on reload. Queues keep their on-disk backlog
/// across reloads and restarts (the directory is named after the destination).
public actor RemoteWriteManager: Service {
    private struct Running {
        let queue: RemoteWriteQueue
        let token: Int
        let task: Task<Void, Never>
        let externalLabels: [String: String]
    }

    private let tsdb: TSDB
    private let directory: String
    private let registry: MetricsRegistry
    private let logger: Logger
    private var running: [Running] = []

    /// A manager queueing under `directory` (the data directory's `remote-write/`).
    public init(tsdb: TSDB, directory: String, registry: MetricsRegistry, logger: Logger) {
        self.tsdb = tsdb
        self.directory = directory
        self.registry = registry
        self.logger = logger
    }

    /// Starts, keeps or restarts queues to match `config.remoteWrite`.
    public func apply(_ config: PrometheusConfig) async throws {
        let externalLabels = config.global.externalLabels
        var kept: [Running] = []
        var stopping: [Running] = []
        for queue in running {
            if config.remoteWrite.contains(queue.queue.config) && queue.externalLabels == externalLabels {
                kept.append(queue)
            } else {
                stopping.append(queue)
            }
        }
        for queue in stopping { await stop(queue) }
        running = kept
        for remote in config.remoteWrite where !running.contains(where: { $0.queue.config == remote }) {
            let queue = try RemoteWriteQueue(
                config: remote, externalLabels: externalLabels, directory: directory, registry: registry, logger: logger)
            let token = tsdb.addCommitObserver(queue)
            let task = Task { await queue.run() }
            running.append(Running(queue: queue, token: token, task: task, externalLabels: externalLabels))
            logger.info("Remote write queue started", metadata: ["remote_name": "\(queue.name)", "url": "\(remote.url)"])
        }
    }

    private func stop(_ running: Running) async {
        tsdb.removeCommitObserver(running.token)
        running.task.cancel()
        await running.task.value
        running.queue.close()
    }

    /// Runs until graceful shutdown, then stops every queue (their backlog stays on disk).
    public func run() async throws {
        try? await gracefulShutdown()
        for queue in running { await stop(queue) }
        running = []
    }

    /// The running queues.
    public var queues: [RemoteWriteQueue] { running.map(\.queue) }
}
