/// Evaluation limits and defaults (Prometheus's `--query.*` flags).
public struct EngineOptions: Sendable {
    /// How far back an instant selector looks for a sample, in ms (5m).
    public var lookbackDelta: Int64
    /// The most samples a query may hold in memory at once (`--query.max-samples`).
    public var maxSamples: Int
    /// The longest a query may run, in ms (2m).
    public var timeout: Int64
    /// The most steps a range query may have (the API's 11,000-point limit).
    public var maxPointsPerSeries: Int64
    /// The step of a subquery written without one (`[5m:]`), in ms: the global evaluation interval (1m).
    public var defaultSubqueryStep: Int64
    /// Accept `mad_over_time`, `sort_by_label` and `sort_by_label_desc`
    /// (`--enable-feature=promql-experimental-functions`).
    public var enableExperimentalFunctions: Bool

    /// Prometheus's defaults.
    public init(
        lookbackDelta: Int64 = 300_000, maxSamples: Int = 50_000_000, timeout: Int64 = 120_000,
        maxPointsPerSeries: Int64 = 11_000, defaultSubqueryStep: Int64 = 60_000, enableExperimentalFunctions: Bool = false
    ) {
        self.enableExperimentalFunctions = enableExperimentalFunctions
        self.lookbackDelta = lookbackDelta
        self.maxSamples = maxSamples
        self.timeout = timeout
        self.maxPointsPerSeries = maxPointsPerSeries
        self.defaultSubqueryStep = defaultSubqueryStep
    }
}
