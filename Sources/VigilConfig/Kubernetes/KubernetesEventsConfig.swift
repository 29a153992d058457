/// Vigil's `kubernetes_events:` section: watch the cluster's events, send each one once to the
/// sinks, and keep them searchable at `/api/v1/events`. Absent, nothing is watched.
///
/// ```yaml
/// kubernetes_events:
///   kubeconfig_file: ~/.kube/config     # or api_server; neither: in-cluster
///   namespace: ""                       # one namespace, or all
///   filter: {level: Normal, exclude_reasons: [Pulled]}
///   sinks:                              # kube-eventer's --sink= values, unchanged
///     - dingtalk:https://oapi.dingtalk.com/robot/send?access_token=TOKEN&level=Warning
///     - stdout
///   store: {retention: 30d}
///   leader_election: {enabled: true}    # two replicas, one sender
///   dedup_capacity: 100000              # events remembered: bounds memory with queue_capacity
/// ```
public struct KubernetesEventsConfig: Sendable, Hashable, Decodable {
    /// How to reach the API server (`api_server`, `kubeconfig_file`, `context`); none: in-cluster.
    public var api: KubernetesAPIAccess
    /// Watch one namespace (`namespace`); empty watches all.
    public var namespace: String
    /// What reaches the sinks (`filter`); every event is counted and stored regardless.
    public var filter: KubernetesEventsFilterConfig
    /// kube-eventer `--sink=` values (`sinks`), each with its own `level`/`namespaces`/`kinds`/`reason`.
    public var sinks: [String]
    /// The local event store (`store`).
    public var store: KubernetesEventStoreConfig
    /// Which replica sends (`leader_election`); off: this one always does.
    public var leaderElection: KubernetesEventsLeaderElectionConfig
    /// Events remembered for deduplication (`dedup_capacity`, default 100,000): with the queue
    /// capacity, what bounds the watcher's memory. Set it above the events the cluster makes in
    /// two hours, or an event forgotten early is notified again when its count is bumped.
    public var dedupCapacity: Int
    /// Notifications queued per sink while it is slow or failing (`queue_capacity`, default
    /// 10,000); more are dropped and counted.
    public var queueCapacity: Int

    /// Defaults: in-cluster, every namespace, no sinks, the store on with 30 days.
    public init() {
        api = KubernetesAPIAccess()
        namespace = ""
        filter = KubernetesEventsFilterConfig()
        sinks = []
        store = KubernetesEventStoreConfig()
        leaderElection = KubernetesEventsLeaderElectionConfig()
        dedupCapacity = 100_000
        queueCapacity = 10_000
    }

    enum CodingKeys: String, CodingKey {
        case namespace, filter, sinks, store
        case leaderElection = "leader_election"
        case dedupCapacity = "dedup_capacity"
        case queueCapacity = "queue_capacity"
    }

    /// Decodes the section and refuses both `api_server` and `kubeconfig_file`, as Prometheus's
    /// Kubernetes SD does.
    public init(from decoder: any Decoder) throws {
        api = try KubernetesAPIAccess.decode(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        namespace = try container.value(.namespace, default: "")
        filter = try container.value(.filter, default: KubernetesEventsFilterConfig())
        sinks = try container.list(.sinks)
        store = try container.value(.store, default: KubernetesEventStoreConfig())
        leaderElection = try container.value(.leaderElection, default: KubernetesEventsLeaderElectionConfig())
        dedupCapacity = try container.value(.dedupCapacity, default: 100_000)
        queueCapacity = try container.value(.queueCapacity, default: 10_000)
        try api.validate()
        if dedupCapacity < 1 { throw ConfigValidationError("dedup_capacity must be at least 1", field: "dedup_capacity") }
        if queueCapacity < 1 { throw ConfigValidationError("queue_capacity must be at least 1", field: "queue_capacity") }
        for (index, sink) in sinks.enumerated() where sink.isEmpty {
            throw ConfigValidationError("empty sink", field: "sinks", .index(index))
        }
    }

    mutating func resolvePaths(in directory: String) {
        api.resolvePaths(in: directory)
    }
}

/// Which events the sinks get (`kubernetes_events.filter`); exclude lists win.
public struct KubernetesEventsFilterConfig: Sendable, Hashable, Decodable {
    /// `Normal` passes every event, `Warning` only warnings (`level`).
    public var level: String
    public var namespaces: [String]
    public var excludeNamespaces: [String]
    public var kinds: [String]
    public var excludeKinds: [String]
    public var reasons: [String]
    public var excludeReasons: [String]
    /// An RE2 pattern the message must contain a match of (`message`).
    public var message: String?
    /// An RE2 pattern whose match drops the event (`exclude_message`).
    public var excludeMessage: String?

    /// Everything passes.
    public init() {
        level = "Normal"
        namespaces = []
        excludeNamespaces = []
        kinds = []
        excludeKinds = []
        reasons = []
        excludeReasons = []
        message = nil
        excludeMessage = nil
    }

    enum CodingKeys: String, CodingKey {
        case level, namespaces, kinds, reasons, message
        case excludeNamespaces = "exclude_namespaces"
        case excludeKinds = "exclude_kinds"
        case excludeReasons = "exclude_reasons"
        case excludeMessage = "exclude_message"
    }

    /// Decodes the filter; `level` must be `Normal` or `Warning`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        level = try container.value(.level, default: "Normal")
        namespaces = try container.list(.namespaces)
        excludeNamespaces = try container.list(.excludeNamespaces)
        kinds = try container.list(.kinds)
        excludeKinds = try container.list(.excludeKinds)
        reasons = try container.list(.reasons)
        excludeReasons = try container.list(.excludeReasons)
        message = try container.optional(.message)
        excludeMessage = try container.optional(.excludeMessage)
        guard level == "Normal" || level == "Warning" else {
            throw ConfigValidationError("level must be Normal or Warning, not \"\(level)\"", field: "level")
        }
    }
}

/// The local event store (`kubernetes_events.store`): one file per day under the data directory.
public struct KubernetesEventStoreConfig: Sendable, Hashable, Decodable {
    /// Keep events (`enabled`, default true).
    public var enabled = true
    /// Delete days older than this (`retention`, 30d), far beyond the API server's one hour.
    public var retention = PromDuration.hours(30 * 24)

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case enabled, retention
    }

    /// Decodes the store settings; the retention must be at least a day.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.value(.enabled, default: true)
        retention = try container.value(.retention, default: PromDuration.hours(30 * 24))
        if retention.milliseconds < 86_400_000 {
            throw ConfigValidationError("retention must be at least 1d (events are kept in daily files)", field: "retention")
        }
    }
}

/// Lease-based election of the replica that sends (`kubernetes_events.leader_election`), with
/// client-go leaderelection's timings: the lease is taken over `lease_duration` after its holder
/// last renewed, a leader that cannot renew for `renew_deadline` stops sending, and every replica
/// tries every `retry_period`.
public struct KubernetesEventsLeaderElectionConfig: Sendable, Hashable, Decodable {
    /// Elect a sender (`enabled`, default false).
    public var enabled = false
    /// The Lease's name (`lease_name`, default `vigil-events`).
    public var leaseName = "vigil-events"
    /// The Lease's namespace (`lease_namespace`); empty: the pod's own (POD_NAMESPACE, or the
    /// service account's namespace file).
    public var leaseNamespace = ""
    /// This replica's identity (`identity`); empty: POD_NAME, else the host name.
    public var identity = ""
    /// `lease_duration`, default 15s.
    public var leaseDuration = PromDuration.seconds(15)
    /// `renew_deadline`, default 10s.
    public var renewDeadline = PromDuration.seconds(10)
    /// `retry_period`, default 2s.
    public var retryPeriod = PromDuration.seconds(2)

    /// Off, with client-go's default timings.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case enabled, identity
        case leaseName = "lease_name"
        case leaseNamespace = "lease_namespace"
        case leaseDuration = "lease_duration"
        case renewDeadline = "renew_deadline"
        case retryPeriod = "retry_period"
    }

    /// Decodes and checks the timings as client-go does: lease_duration > renew_deadline >
    /// 1.2 × retry_period > 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.value(.enabled, default: false)
        leaseName = try container.value(.leaseName, default: "vigil-events")
        leaseNamespace = try container.value(.leaseNamespace, default: "")
        identity = try container.value(.identity, default: "")
        leaseDuration = try container.value(.leaseDuration, default: PromDuration.seconds(15))
        renewDeadline = try container.value(.renewDeadline, default: PromDuration.seconds(10))
        retryPeriod = try container.value(.retryPeriod, default: PromDuration.seconds(2))
        if leaseName.isEmpty { throw ConfigValidationError("lease_name must not be empty", field: "lease_name") }
        if retryPeriod.milliseconds <= 0 {
            throw ConfigValidationError("retry_period must be greater than zero", field: "retry_period")
        }
        if renewDeadline.milliseconds * 10 <= retryPeriod.milliseconds * 12 {
            throw ConfigValidationError("renew_deadline must be greater than 1.2 × retry_period", field: "renew_deadline")
        }
        if leaseDuration <= renewDeadline {
            throw ConfigValidationError("lease_duration must be greater than renew_deadline", field: "lease_duration")
        }
    }
}
