import Logging
public import ServiceLifecycle
import Synchronization
public import VigilConfig
import VigilModel

/// Runs the rule groups of the configuration's `rule_files`, and swaps them on a reload.
///
/// A group whose file, name, definition and effective settings are unchanged by a reload keeps
/// running with its state; a changed group starts afresh but takes over the alerts and series of
/// its unchanged rules; a removed group writes stale markers for its series. Runs as a `Service`:
/// groups evaluate only while ``run()`` runs.
public actor RuleManager: Service {
    private let clock: any RuleClock
    private var environment: RuleEnvironment
    private var groups: [GroupKey: Entry] = [:]
    private var order: [GroupKey] = []
    /// Whether ``run()`` is running (groups evaluate only then).
    public private(set) var isRunning = false
    /// Whether the first set of groups was loaded; only those restore `for` state.
    private var loadedOnce = false
    /// The latest update, which the next one waits for.
    private var lastUpdate: Task<Void, Never>?
    /// The groups in file order, readable without waiting for the actor.
    private nonisolated let published = Mutex<[RuleGroup]>([])

    private struct GroupKey: Hashable {
        var file: String
        var name: String
        var language: RuleQueryLanguage
    }

    private struct Settings: Equatable {
        var definition: RuleGroupDefinition
        var interval: Int64
        var queryOffset: Int64
        var externalLabels: [String: String]
    }

    private struct Entry {
        var group: RuleGroup
        var settings: Settings
        var task: Task<Void, Never>?
    }

    /// A manager writing to and querying `environment.tsdb`, timed by `clock`.
    public init(environment: RuleEnvironment, clock: any RuleClock = SystemRuleClock()) {
        self.environment = environment
        self.clock = clock
    }

    /// The groups in force, in the order of the files and of the groups in each file.
    public nonisolated var ruleGroups: [RuleGroup] { published.withLock { $0 } }

    /// Loads the rule files `config` names (`rule_files` as PromQL, then `log_rule_files` as
    /// LogQL) and makes their groups the running set.
    ///
    /// A file that fails to load throws a ``ConfigError`` and leaves the running groups as they
    /// were, so a reload with a broken rule file fails as a whole. LogQL rule files fail to load
    /// when the environment has no ``RuleEnvironment/logQuery`` (the log store is disabled).
    public func apply(_ config: PrometheusConfig) async throws {
        var files = try RuleFile.loadAll(paths: try config.ruleFilePaths())
        let logPaths = try config.logRuleFilePaths()
        if let first = logPaths.first, environment.logQuery == nil {
            throw ConfigError(
                kind: .invalidValue, file: config.fileName, line: 0, column: 0, fieldPath: "log_rule_files",
                message: "LogQL rule file \(first) needs the log store, which is disabled (log_store.enabled, or --agent)")
        }
        files += try RuleFile.loadAll(paths: logPaths, language: .logQL)
        await update(
            files: files, evaluationInterval: config.global.evaluationInterval.milliseconds,
            queryOffset: config.global.ruleQueryOffset.milliseconds, externalLabels: config.global.externalLabels)
    }

    /// Makes the groups of `files` the running set (see the type's documentation for what is kept).
    ///
    /// Updates run one at a time, in call order (a SIGHUP and a `POST /-/reload` may overlap).
    public func update(
        files: [RuleFile], evaluationInterval: Int64, queryOffset: Int64 = 0, externalLabels: [String: String] = [:]
    ) async {
        let previous = lastUpdate
        let update = Task {
            await previous?.value
            await self.perform(
                files: files, evaluationInterval: evaluationInterval, queryOffset: queryOffset, externalLabels: externalLabels)
        }
        lastUpdate = update
        await update.value
    }

    private func perform(
        files: [RuleFile], evaluationInterval: Int64, queryOffset: Int64, externalLabels: [String: String]
    ) async {
        environment.externalLabels = externalLabels
        var next: [GroupKey: Entry] = [:]
        var nextOrder: [GroupKey] = []
        for file in files {
            for definition in file.groups {
                let key = GroupKey(file: file.path, name: definition.name, language: file.language)
                let settings = Settings(
                    definition: definition, interval: definition.interval?.milliseconds ?? evaluationInterval,
                    queryOffset: definition.queryOffset?.milliseconds ?? queryOffset, externalLabels: externalLabels)
                nextOrder.append(key)
                if let old = groups[key], old.settings == settings {
                    next[key] = old
                    continue
                }
                let group = RuleGroup(
                    file: file.path, definition: definition, defaultInterval: evaluationInterval,
                    defaultQueryOffset: queryOffset, shouldRestore: !loadedOnce, language: file.language)
                next[key] = Entry(group: group, settings: settings, task: nil)
            }
        }
        // Stop what is replaced or removed before its successor starts, so no two evaluate at once.
        let now = clock.now()
        for (key, old) in groups where next[key]?.group !== old.group {
            old.task?.cancel()
            await old.task?.value
            if let successor = next[key] {
                successor.group.copyState(from: old.group)
            } else {
                old.group.markStale(at: now, environment: environment)
            }
        }
        groups = next
        order = nextOrder
        loadedOnce = true
        if isRunning {
            for key in order where groups[key]?.task == nil { start(key) }
        }
        // Prometheus's RuleGroups() lists groups by file, then name (byte order), whatever
        // the order in the files; the API and Grafana show them that way.
        let list = order.compactMap { groups[$0]?.group }.sorted { lhs, rhs in
            let files = ByteOrder.compare(lhs.file, rhs.file)
            return files != 0 ? files < 0 : ByteOrder.less(lhs.name, rhs.name)
        }
        published.withLock { $0 = list }
        environment.logger.info("Rule groups loaded", metadata: ["groups": "\(list.count)"])
    }

    private func start(_ key: GroupKey) {
        guard let entry = groups[key] else { return }
        let clock = self.clock
        let environment = self.environment
        let group = entry.group
        let now = clock.now()
        groups[key]?.task = Task { await group.run(clock: clock, environment: environment, start: now) }
    }

    /// Evaluates the groups until graceful shutdown, then stops them (their series are left to
    /// go stale on their own, as Prometheus leaves them at shutdown).
    public func run() async throws {
        isRunning = true
        for key in order where groups[key]?.task == nil { start(key) }
        try? await gracefulShutdown()
        isRunning = false
        for key in order {
            groups[key]?.task?.cancel()
        }
        for key in order {
            await groups[key]?.task?.value
            groups[key]?.task = nil
        }
    }
}
