public import VigilConfig
public import VigilModel

/// How a pool's loops scrape and ingest: the parts of a `scrape_config` that a reload may change
/// without restarting a loop.
public struct ScrapeSettings: Sendable {
    /// `honor_labels`: keep the exposed label on a clash with a target label.
    public var honorLabels: Bool
    /// `honor_timestamps`: use timestamps written in the exposition.
    public var honorTimestamps: Bool
    /// `track_timestamps_staleness`: write stale markers for series with explicit timestamps too.
    public var trackTimestampsStaleness: Bool
    /// Most samples (after metric relabeling) per scrape; 0 is no limit.
    public var sampleLimit: Int
    /// Most labels per series; 0 is no limit.
    public var labelLimit: Int
    /// Longest label name; 0 is no limit.
    public var labelNameLengthLimit: Int
    /// Longest label value; 0 is no limit.
    public var labelValueLengthLimit: Int
    /// Largest uncompressed body in bytes; 0 means the built-in ceiling.
    public var bodySizeLimit: Int
    /// Whether to ask for gzip.
    public var enableCompression: Bool
    /// `metric_relabel_configs`.
    public var metricRelabeler: Relabeler
    /// The `Accept` header built from `scrape_protocols`.
    public var acceptHeader: String

    /// A network input always has a ceiling, even when the config sets none (Prometheus has none).
    public static let defaultBodyCeiling = 1 << 30

    /// The settings of `config`.
    public init(_ config: ScrapeConfig) {
        honorLabels = config.honorLabels
        honorTimestamps = config.honorTimestamps
        trackTimestampsStaleness = config.trackTimestampsStaleness
        sampleLimit = config.sampleLimit
        labelLimit = config.labelLimit
        labelNameLengthLimit = config.labelNameLengthLimit
        labelValueLengthLimit = config.labelValueLengthLimit
        bodySizeLimit = config.bodySizeLimit.bytes > 0 ? Int(config.bodySizeLimit.bytes) : Self.defaultBodyCeiling
        enableCompression = config.enableCompression
        metricRelabeler = Relabeler(config.metricRelabelConfigs)
        acceptHeader = Self.acceptHeader(config.scrapeProtocols)
    }

    /// Prometheus 2.53's `acceptHeader`: the protocols in order with falling q-values, then `*/*`.
    /// `PrometheusProto` is left out: Vigil reads the text formats, so it must not invite protobuf.
    static func acceptHeader(_ protocols: [ScrapeProtocol]) -> String {
        var weight = 5
        var values: [String] = []
        for scrapeProtocol in protocols {
            let mediaType: String
            switch scrapeProtocol {
            case .prometheusProto: continue
            case .prometheusText0_0_4: mediaType = "text/plain;version=0.0.4"
            case .prometheusText1_0_0: mediaType = "text/plain;version=1.0.0"
            case .openMetricsText0_0_1: mediaType = "application/openmetrics-text;version=0.0.1"
            case .openMetricsText1_0_0: mediaType = "application/openmetrics-text;version=1.0.0"
            }
            values.append("\(mediaType);q=0.\(weight)")
            weight -= 1
        }
        values.append("*/*;q=0.\(max(weight, 1))")
        return values.joined(separator: ",")
    }

    /// The labels a scraped series is stored under, or `nil` when metric relabeling drops it
    /// (Prometheus's `mutateSampleLabels`).
    ///
    /// Without `honor_labels`, a target label overrides an exposed one, which is kept as
    /// `exported_<name>` (more `exported_` prefixes while that name is taken too).
    func sampleLabels(_ exposed: Labels, target: Labels, series: UnsafeRawBufferPointer? = nil) -> Labels? {
        var builder = LabelsBuilder(exposed)
        if honorLabels {
            // An exposed `name=""` counts as present (so the target's value is not added) and is
            // then dropped, as in Prometheus; `Labels` has already dropped it, so look at the text.
            for label in target where exposed[label.name] == nil && !(series.map { Self.exposesEmpty(label.name, in: $0) } ?? false) {
                builder.set(label.name, label.value)
            }
        } else {
            var conflicts: [Label] = []
            for label in target {
                if let existing = exposed[label.name] { conflicts.append(Label(name: label.name, value: existing)) }
                builder.set(label.name, label.value)
            }
            if !conflicts.isEmpty {
                var current = builder.build()
                builder = LabelsBuilder(current)
                for conflict in conflicts.enumerated().sorted(by: {
                    $0.element.name.utf8.count != $1.element.name.utf8.count
                        ? $0.element.name.utf8.count < $1.element.name.utf8.count : $0.offset < $1.offset
                }).map(\.element) {
                    var name = conflict.name
                    while true {
                        name = "exported_" + name
                        if current[name] == nil {
                            builder.set(name, conflict.value)
                            current = builder.build()
                            break
                        }
                    }
                }
            }
        }
        let labels = builder.build()
        if metricRelabeler.isEmpty { return labels.isEmpty ? nil : labels }
        return metricRelabeler.process(labels)
    }

    /// Whether the exposed series text sets label `name` to the empty string (`name=""`).
    static func exposesEmpty(_ name: String, in series: UnsafeRawBufferPointer) -> Bool {
        let needle = Array(name.utf8)
        guard !needle.isEmpty, series.count > needle.count else { return false }
        var index = 0
        while index + needle.count <= series.count {
            defer { index += 1 }
            guard index > 0, series[index - 1] == UInt8(ascii: "{") || series[index - 1] == UInt8(ascii: ",")
                || series[index - 1] == UInt8(ascii: " ")
            else { continue }
            guard (0..<needle.count).allSatisfy({ series[index + $0] == needle[$0] }) else { continue }
            var cursor = index + needle.count
            while cursor < series.count && series[cursor] == UInt8(ascii: " ") { cursor += 1 }
            guard cursor < series.count, series[cursor] == UInt8(ascii: "=") else { continue }
            cursor += 1
            while cursor < series.count && series[cursor] == UInt8(ascii: " ") { cursor += 1 }
            if cursor + 1 < series.count && series[cursor] == UInt8(ascii: "\"") && series[cursor + 1] == UInt8(ascii: "\"") {
                return true
            }
        }
        return false
    }

    /// Prometheus's `verifyLabelLimits`; errors name the metric, cut to 50 characters.
    func checkLimits(_ labels: Labels) -> String? {
        let metric = String((labels.name ?? "").prefix(50))
        if labelLimit > 0 && labels.count > labelLimit {
            return "label_limit exceeded (metric: \(metric), number of labels: \(labels.count), limit: \(labelLimit))"
        }
        for label in labels {
            if labelNameLengthLimit > 0 && label.name.utf8.count > labelNameLengthLimit {
                return "label_name_length_limit exceeded (metric: \(metric), label name: \(label.name.prefix(50)), length: \(label.name.utf8.count), limit: \(labelNameLengthLimit))"
            }
            if labelValueLengthLimit > 0 && label.value.utf8.count > labelValueLengthLimit {
                return "label_value_length_limit exceeded (metric: \(metric), label name: \(label.name.prefix(50)), value: \"\(label.value.prefix(50))\", length: \(label.value.utf8.count), limit: \(labelValueLengthLimit))"
            }
        }
        return nil
    }
}
