/// Storage settings that may change at reload (`storage`).
public struct StorageConfig: Sendable, Hashable, Decodable {
    /// TSDB settings.
    public var tsdb: TSDBConfig
    /// Exemplar storage settings.
    public var exemplars: ExemplarsConfig

    /// The defaults (see ``TSDBConfig`` for where Vigil's differ from Prometheus's).
    public init() {
        tsdb = TSDBConfig()
        exemplars = ExemplarsConfig()
    }

    enum CodingKeys: String, CodingKey {
        case tsdb, exemplars
    }

    /// Decodes both subsections.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tsdb = try container.value(.tsdb, default: TSDBConfig())
        exemplars = try container.value(.exemplars, default: ExemplarsConfig())
    }
}

/// TSDB settings (`storage.tsdb`).
///
/// Retention stays a command-line setting, as in Prometheus.
public struct TSDBConfig: Sendable, Hashable, Decodable {
    /// How far behind the newest sample a sample may arrive and still be stored.
    ///
    /// Vigil's default is **10m**, where Prometheus's is 0 (out-of-order samples rejected):
    /// Vigil ingests pushes and remote writes whose clocks and batching routinely reorder a few
    /// minutes. Set `out_of_order_time_window: 0s` for Prometheus's behaviour.
    public var outOfOrderTimeWindow: PromDuration

    /// Vigil's default: a 10 minute out-of-order window.
    public init() {
        outOfOrderTimeWindow = .minutes(10)
    }

    enum CodingKeys: String, CodingKey {
        case outOfOrderTimeWindow = "out_of_order_time_window"
    }

    /// Decodes; an absent window keeps Vigil's default of 10m.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        outOfOrderTimeWindow = try container.value(.outOfOrderTimeWindow, default: .minutes(10))
    }
}

/// Exemplar storage (`storage.exemplars`).
public struct ExemplarsConfig: Sendable, Hashable, Decodable {
    /// Size of the in-memory exemplar ring; 0 or less disables exemplar storage (default 100000).
    public var maxExemplars: Int64

    /// The default of 100000.
    public init() {
        maxExemplars = 100_000
    }

    enum CodingKeys: String, CodingKey {
        case maxExemplars = "max_exemplars"
    }

    /// Decodes; absent means the default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxExemplars = try container.value(.maxExemplars, default: 100_000)
    }
}
