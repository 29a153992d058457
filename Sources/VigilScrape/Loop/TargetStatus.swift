public import VigilModel

/// The health of a target as `/api/v1/targets` reports it.
public enum TargetHealth: String, Sendable {
    /// The last scrape succeeded.
    case up
    /// The last scrape failed.
    case down
    /// Not scraped yet.
    case unknown
}

/// What the last scrape of a target did.
public struct TargetStatus: Sendable {
    /// Health after the last scrape.
    public var health: TargetHealth = .unknown
    /// The last scrape's error, empty when it succeeded.
    public var lastError: String = ""
    /// When the last scrape started (ms since the epoch; 0 before the first).
    public var lastScrape: Timestamp = 0
    /// How long the last scrape took, in seconds.
    public var lastScrapeDuration: Double = 0
}

/// A metric family's metadata as scraped from `# HELP`, `# TYPE` and `# UNIT` lines.
public struct MetricMetadata: Sendable, Hashable {
    /// The family name as written on the metadata line.
    public var metric: String
    /// The type; `unknown` when only help or unit was given.
    public var type: MetricType
    /// The help text, possibly empty.
    public var help: String
    /// The unit, possibly empty.
    public var unit: String
}
