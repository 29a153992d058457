/// A protocol Vigil may offer a target in the `Accept` header, most preferred first.
public enum ScrapeProtocol: String, Sendable, Hashable, CaseIterable, Decodable {
    /// Protobuf-delimited `io.prometheus.client.MetricFamily`.
    case prometheusProto = "PrometheusProto"
    /// The classic text format, version 0.0.4.
    case prometheusText0_0_4 = "PrometheusText0.0.4"
    /// The text format, version 1.0.0 (accepted for newer configurations).
    case prometheusText1_0_0 = "PrometheusText1.0.0"
    /// OpenMetrics text 0.0.1.
    case openMetricsText0_0_1 = "OpenMetricsText0.0.1"
    /// OpenMetrics text 1.0.0.
    case openMetricsText1_0_0 = "OpenMetricsText1.0.0"

    /// Prometheus's default preference order.
    public static let defaults: [ScrapeProtocol] = [.openMetricsText1_0_0, .openMetricsText0_0_1, .prometheusText0_0_4]

    /// Decodes a protocol name (case-sensitive, as in Prometheus).
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = ScrapeProtocol(rawValue: text) else {
            let supported = ScrapeProtocol.allCases.map(\.rawValue).sorted().joined(separator: " ")
            throw ConfigValidationError("unknown scrape protocol \(text), supported: [\(supported)]")
        }
        self = value
    }

    /// Checks a non-default protocol list: not empty, no repeats.
    static func validate(_ protocols: [ScrapeProtocol], field: ConfigPathComponent) throws(ConfigValidationError) {
        if protocols.isEmpty {
            throw ConfigValidationError("scrape_protocols cannot be empty", field: field)
        }
        var seen: Set<ScrapeProtocol> = []
        for (index, value) in protocols.enumerated() where !seen.insert(value).inserted {
            throw ConfigValidationError(
                "duplicated protocol in scrape_protocols, got \(protocols.map(\.rawValue))", field: field, .index(index))
        }
    }
}

/// Settings that apply to every section unless it overrides them (`global`).
public struct GlobalConfig: Sendable, Hashable, Decodable {
    /// How often to scrape targets (default 1m).
    public var scrapeInterval: PromDuration
    /// How long a scrape may take (default 10s, never more than ``scrapeInterval``).
    public var scrapeTimeout: PromDuration
    /// Protocols to offer targets, most preferred first.
    public var scrapeProtocols: [ScrapeProtocol]
    /// How often to evaluate rules (default 1m).
    public var evaluationInterval: PromDuration
    /// How far in the past rule evaluation queries (default 0).
    public var ruleQueryOffset: PromDuration
    /// A file to log PromQL queries to; resolved against the config's directory. Empty: none.
    public var queryLogFile: String
    /// Labels added to series and alerts sent outside (federation, remote write, Alertmanager).
    public var externalLabels: [String: String]
    /// Largest uncompressed scrape body accepted; 0 means no limit.
    public var bodySizeLimit: ByteSize
    /// Most samples a scrape may yield after relabeling; 0 means no limit.
    public var sampleLimit: Int
    /// Most targets a scrape config may have after relabeling; 0 means no limit.
    public var targetLimit: Int
    /// Most labels a series may have; 0 means no limit.
    public var labelLimit: Int
    /// Longest label name; 0 means no limit.
    public var labelNameLengthLimit: Int
    /// Longest label value; 0 means no limit.
    public var labelValueLengthLimit: Int
    /// Most dropped targets kept per scrape config for the API; 0 means no limit.
    public var keepDroppedTargets: Int

    /// Prometheus's defaults.
    public init() {
        scrapeInterval = .minutes(1)
        scrapeTimeout = .seconds(10)
        scrapeProtocols = ScrapeProtocol.defaults
        evaluationInterval = .minutes(1)
        ruleQueryOffset = .zero
        queryLogFile = ""
        externalLabels = [:]
        bodySizeLimit = .zero
        sampleLimit = 0
        targetLimit = 0
        labelLimit = 0
        labelNameLengthLimit = 0
        labelValueLengthLimit = 0
        keepDroppedTargets = 0
    }

    enum CodingKeys: String, CodingKey {
        case scrapeInterval = "scrape_interval"
        case scrapeTimeout = "scrape_timeout"
        case scrapeProtocols = "scrape_protocols"
        case evaluationInterval = "evaluation_interval"
        case ruleQueryOffset = "rule_query_offset"
        case queryLogFile = "query_log_file"
        case externalLabels = "external_labels"
        case bodySizeLimit = "body_size_limit"
        case sampleLimit = "sample_limit"
        case targetLimit = "target_limit"
        case labelLimit = "label_limit"
        case labelNameLengthLimit = "label_name_length_limit"
        case labelValueLengthLimit = "label_value_length_limit"
        case keepDroppedTargets = "keep_dropped_targets"
    }

    /// Decodes, fills defaults the way Prometheus does (a zero interval means the default; the
    /// timeout defaults to 10s or the interval, whichever is less) and validates.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scrapeInterval = try container.value(.scrapeInterval, default: .zero)
        scrapeTimeout = try container.value(.scrapeTimeout, default: .zero)
        let protocols = try container.optional(.scrapeProtocols, as: [ScrapeProtocol].self)
        evaluationInterval = try container.value(.evaluationInterval, default: .zero)
        ruleQueryOffset = try container.value(.ruleQueryOffset, default: .zero)
        queryLogFile = try container.value(.queryLogFile, default: "")
        externalLabels = try container.map(.externalLabels)
        bodySizeLimit = try container.value(.bodySizeLimit, default: .zero)
        sampleLimit = try container.count(.sampleLimit)
        targetLimit = try container.count(.targetLimit)
        labelLimit = try container.count(.labelLimit)
        labelNameLengthLimit = try container.count(.labelNameLengthLimit)
        labelValueLengthLimit = try container.count(.labelValueLengthLimit)
        keepDroppedTargets = try container.count(.keepDroppedTargets)

        try LabelName.validate(externalLabels, field: "external_labels")
        if scrapeInterval == .zero { scrapeInterval = .minutes(1) }
        if scrapeTimeout > scrapeInterval {
            throw ConfigValidationError("global scrape timeout greater than scrape interval", field: "scrape_timeout")
        }
        if scrapeTimeout == .zero { scrapeTimeout = min(.seconds(10), scrapeInterval) }
        if evaluationInterval == .zero { evaluationInterval = .minutes(1) }
        if let protocols {
            try ScrapeProtocol.validate(protocols, field: "scrape_protocols")
            scrapeProtocols = protocols
        } else {
            scrapeProtocols = ScrapeProtocol.defaults
        }
    }
}

/// Process settings (`runtime`).
public struct RuntimeConfig: Sendable, Hashable, Decodable {
    /// Go's GC target percentage in Prometheus; accepted so configurations load, unused by Vigil.
    public var gogc: Int

    /// The default (75).
    public init() { gogc = 75 }

    enum CodingKeys: String, CodingKey {
        case gogc
    }

    /// Decodes; zero means the default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        gogc = try container.value(.gogc, default: 0)
        if gogc == 0 { gogc = 75 }
    }
}
