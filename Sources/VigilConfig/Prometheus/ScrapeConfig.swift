/// One scrape job (`scrape_configs` entry): which targets to scrape and how.
///
/// Fields left unset (zero) inherit from ``GlobalConfig`` when the whole configuration loads:
/// the interval, the timeout (never above the interval), the limits and the protocols.
public struct ScrapeConfig: Sendable, Hashable, Decodable {
    /// The job name; the `job` label of every target unless relabeled. Required, unique.
    public var jobName: String
    /// Keep the target's own labels when they clash with Vigil's (default false).
    public var honorLabels: Bool
    /// Use timestamps the target exposes (default true).
    public var honorTimestamps: Bool
    /// Mark series stale when an explicit timestamp disappears (default false).
    public var trackTimestampsStaleness: Bool
    /// URL query parameters for every scrape.
    public var params: [String: [String]]
    /// How often to scrape; inherited from global when unset.
    public var scrapeInterval: PromDuration
    /// How long a scrape may take; inherited, and never above ``scrapeInterval``.
    public var scrapeTimeout: PromDuration
    /// Protocols to offer, most preferred first; inherited from global when unset.
    public var scrapeProtocols: [ScrapeProtocol]
    /// Also scrape the classic form of histograms exposed natively (default false).
    public var scrapeClassicHistograms: Bool
    /// The path to scrape (default `/metrics`).
    public var metricsPath: String
    /// `http` (default) or `https`.
    public var scheme: String
    /// Ask targets for compressed bodies (default true).
    public var enableCompression: Bool
    /// Largest uncompressed body; 0 means no limit (inherited).
    public var bodySizeLimit: ByteSize
    /// Most samples per scrape after relabeling; 0 means no limit (inherited).
    public var sampleLimit: Int
    /// Most targets after relabeling; 0 means no limit (inherited).
    public var targetLimit: Int
    /// Most labels per series; 0 means no limit (inherited).
    public var labelLimit: Int
    /// Longest label name; 0 means no limit (inherited).
    public var labelNameLengthLimit: Int
    /// Longest label value; 0 means no limit (inherited).
    public var labelValueLengthLimit: Int
    /// Most buckets in a native histogram before merging; 0 means no limit.
    public var nativeHistogramBucketLimit: Int
    /// Smallest bucket growth factor before merging native histogram buckets; 0 means none.
    public var nativeHistogramMinBucketFactor: Double
    /// Most dropped targets kept for the API; 0 means no limit (inherited).
    public var keepDroppedTargets: Int
    /// How to talk to the targets.
    public var httpClient: HTTPClientConfig
    /// Where the targets come from.
    public var serviceDiscovery: ServiceDiscoveryConfigs
    /// Relabeling applied to targets before scraping.
    public var relabelConfigs: [RelabelConfig]
    /// Relabeling applied to scraped series before storage.
    public var metricRelabelConfigs: [RelabelConfig]

    enum CodingKeys: String, CodingKey {
        case jobName = "job_name"
        case honorLabels = "honor_labels"
        case honorTimestamps = "honor_timestamps"
        case trackTimestampsStaleness = "track_timestamps_staleness"
        case params
        case scrapeInterval = "scrape_interval"
        case scrapeTimeout = "scrape_timeout"
        case scrapeProtocols = "scrape_protocols"
        case scrapeClassicHistograms = "scrape_classic_histograms"
        case metricsPath = "metrics_path"
        case scheme
        case enableCompression = "enable_compression"
        case bodySizeLimit = "body_size_limit"
        case sampleLimit = "sample_limit"
        case targetLimit = "target_limit"
        case labelLimit = "label_limit"
        case labelNameLengthLimit = "label_name_length_limit"
        case labelValueLengthLimit = "label_value_length_limit"
        case nativeHistogramBucketLimit = "native_histogram_bucket_limit"
        case nativeHistogramMinBucketFactor = "native_histogram_min_bucket_factor"
        case keepDroppedTargets = "keep_dropped_targets"
        case relabelConfigs = "relabel_configs"
        case metricRelabelConfigs = "metric_relabel_configs"
    }

    /// Decodes one job and validates what does not depend on the global section.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        jobName = try container.value(.jobName, default: "")
        honorLabels = try container.value(.honorLabels, default: false)
        honorTimestamps = try container.value(.honorTimestamps, default: true)
        trackTimestampsStaleness = try container.value(.trackTimestampsStaleness, default: false)
        params = try container.map(.params)
        scrapeInterval = try container.value(.scrapeInterval, default: .zero)
        scrapeTimeout = try container.value(.scrapeTimeout, default: .zero)
        let protocols = try container.optional(.scrapeProtocols, as: [ScrapeProtocol].self)
        scrapeClassicHistograms = try container.value(.scrapeClassicHistograms, default: false)
        metricsPath = try container.value(.metricsPath, default: "/metrics")
        scheme = try container.value(.scheme, default: "http")
        enableCompression = try container.value(.enableCompression, default: true)
        bodySizeLimit = try container.value(.bodySizeLimit, default: .zero)
        sampleLimit = try container.count(.sampleLimit)
        targetLimit = try container.count(.targetLimit)
        labelLimit = try container.count(.labelLimit)
        labelNameLengthLimit = try container.count(.labelNameLengthLimit)
        labelValueLengthLimit = try container.count(.labelValueLengthLimit)
        nativeHistogramBucketLimit = try container.count(.nativeHistogramBucketLimit)
        nativeHistogramMinBucketFactor = try container.value(.nativeHistogramMinBucketFactor, default: 0)
        keepDroppedTargets = try container.count(.keepDroppedTargets)
        relabelConfigs = try container.list(.relabelConfigs)
        metricRelabelConfigs = try container.list(.metricRelabelConfigs)
        serviceDiscovery = try ServiceDiscoveryConfigs(from: decoder)
        httpClient = try HTTPClientConfig(from: decoder)

        if jobName.isEmpty {
            throw ConfigValidationError("job_name is empty", field: "job_name")
        }
        if scheme != "http" && scheme != "https" {
            throw ConfigValidationError("scheme must be \"http\" or \"https\", got \"\(scheme)\"", field: "scheme")
        }
        if let protocols {
            try ScrapeProtocol.validate(protocols, field: "scrape_protocols")
            scrapeProtocols = protocols
        } else {
            scrapeProtocols = []
        }
        if relabelConfigs.isEmpty {
            try serviceDiscovery.checkStaticTargets()
        }
    }

    /// Fills unset fields from `global` and checks the timeout, as Prometheus's `Validate` does.
    mutating func inherit(from global: GlobalConfig) throws(ConfigValidationError) {
        if scrapeInterval == .zero { scrapeInterval = global.scrapeInterval }
        if scrapeTimeout > scrapeInterval {
            throw ConfigValidationError(
                "scrape timeout greater than scrape interval for scrape config with job name \"\(jobName)\"",
                field: "scrape_timeout")
        }
        if scrapeTimeout == .zero { scrapeTimeout = min(global.scrapeTimeout, scrapeInterval) }
        if bodySizeLimit == .zero { bodySizeLimit = global.bodySizeLimit }
        if sampleLimit == 0 { sampleLimit = global.sampleLimit }
        if targetLimit == 0 { targetLimit = global.targetLimit }
        if labelLimit == 0 { labelLimit = global.labelLimit }
        if labelNameLengthLimit == 0 { labelNameLengthLimit = global.labelNameLengthLimit }
        if labelValueLengthLimit == 0 { labelValueLengthLimit = global.labelValueLengthLimit }
        if keepDroppedTargets == 0 { keepDroppedTargets = global.keepDroppedTargets }
        if scrapeProtocols.isEmpty { scrapeProtocols = global.scrapeProtocols }
    }

    mutating func resolvePaths(in directory: String) {
        serviceDiscovery.resolvePaths(in: directory)
        httpClient.resolvePaths(in: directory)
    }
}
