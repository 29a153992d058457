#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import VigilModel

/// The JSON shapes of the Pushgateway's files (docs/formats/pushgateway.md): a snapshot of every
/// group, and journal lines that each replace or delete one group. Floats are strings in Go's
/// spelling (`1e+06`, `NaN`, `+Inf`) so that every value survives exactly.
enum PushgatewayRecords {
    /// `groups.json`.
    struct Snapshot: Codable {
        var version: Int
        var groups: [Group]
    }

    /// One line of `groups.journal`: exactly one of `group` (the group's whole new state) and
    /// `delete` (the grouping key of a deleted group).
    struct JournalEntry: Codable {
        var group: Group?
        var delete: [String: String]?
    }

    struct Group: Codable {
        var labels: [String: String]
        var families: [Family]
    }

    struct Family: Codable {
        var name: String
        var help: String?
        var type: String
        /// When the family was written, nanoseconds since the epoch.
        var updated: Int64
        var metrics: [Metric]
    }

    /// `value` for counters, gauges and untyped metrics; `summary` or `histogram` otherwise.
    struct Metric: Codable {
        /// `[name, value]` pairs in order.
        var labels: [[String]]
        var value: String?
        var summary: Compound?
        var histogram: Compound?
    }

    /// A summary (`points` are `[quantile, value]`) or histogram (`[upper bound, cumulative count]`).
    struct Compound: Codable {
        var count: UInt64
        var sum: String
        var points: [[String]]
    }

    /// Why a record cannot be turned back into a group.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static let version = 1

    static func record(_ group: PushedGroup) -> Group {
        Group(
            labels: group.key.dictionary,
            families: group.families.values.sorted { $0.family.name < $1.family.name }.map { entry in
                Family(
                    name: entry.family.name, help: entry.family.help, type: entry.family.type.textName,
                    updated: entry.updated, metrics: entry.family.metrics.map(record)
                )
            }
        )
    }

    private static func record(_ metric: PushedMetric) -> Metric {
        let labels = metric.labels.map { [$0.name, $0.value] }
        switch metric.value {
        case .counter(let value), .gauge(let value), .untyped(let value):
            return Metric(labels: labels, value: GoFloat.format(value))
        case .summary(let summary):
            let points = summary.quantiles.map { [GoFloat.format($0.quantile), GoFloat.format($0.value)] }
            return Metric(labels: labels, summary: Compound(count: summary.count, sum: GoFloat.format(summary.sum), points: points))
        case .histogram(let histogram):
            let points = histogram.buckets.map { [GoFloat.format($0.upperBound), String($0.cumulativeCount)] }
            return Metric(labels: labels, histogram: Compound(count: histogram.count, sum: GoFloat.format(histogram.sum), points: points))
        }
    }

    static func group(_ record: Group) throws(Invalid) -> PushedGroup {
        let key: GroupingKey
        do {
            key = try GroupingKey(labels: record.labels)
        } catch {
            throw Invalid(description: "group \(record.labels): \(error.message)")
        }
        var group = PushedGroup(key: key)
        for family in record.families {
            guard let type = MetricType(textName: family.type) else {
                throw Invalid(description: "group \(key), family \(family.name): unknown type \(family.type)")
            }
            var metrics: [PushedMetric] = []
            for metric in family.metrics {
                guard let value = try value(metric, type: type) else {
                    throw Invalid(description: "group \(key), family \(family.name): a metric has no \(family.type) value")
                }
                guard metric.labels.allSatisfy({ $0.count == 2 }) else {
                    throw Invalid(description: "group \(key), family \(family.name): a label is not a [name, value] pair")
                }
                metrics.append(PushedMetric(labels: metric.labels.map { Label(name: $0[0], value: $0[1]) }, value: value))
            }
            group.families[family.name] = .init(
                family: PushedFamily(name: family.name, help: family.help, type: type, metrics: metrics),
                updated: family.updated
            )
        }
        return group
    }

    private static func value(_ metric: Metric, type: MetricType) throws(Invalid) -> PushedMetric.Value? {
        switch type {
        case .counter, .gauge, .unknown:
            guard let text = metric.value else { return nil }
            let value = try number(text)
            return type == .counter ? .counter(value) : type == .gauge ? .gauge(value) : .untyped(value)
        case .summary:
            guard let summary = metric.summary else { return nil }
            var quantiles: [PushedMetric.Summary.Quantile] = []
            for point in summary.points {
                guard point.count == 2 else { throw Invalid(description: "a quantile is not a [quantile, value] pair") }
                quantiles.append(.init(quantile: try number(point[0]), value: try number(point[1])))
            }
            return .summary(.init(count: summary.count, sum: try number(summary.sum), quantiles: quantiles))
        case .histogram:
            guard let histogram = metric.histogram else { return nil }
            var buckets: [PushedMetric.Histogram.Bucket] = []
            for point in histogram.points {
                guard point.count == 2, let count = UInt64(point[1]) else {
                    throw Invalid(description: "a bucket is not an [upper bound, count] pair")
                }
                buckets.append(.init(upperBound: try number(point[0]), cumulativeCount: count))
            }
            return .histogram(.init(count: histogram.count, sum: try number(histogram.sum), buckets: buckets))
        default:
            return nil
        }
    }

    /// A float in Go's spelling.
    private static func number(_ text: String) throws(Invalid) -> Double {
        switch text {
        case "NaN": return .nan
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            guard let value = Double(text), value.isFinite else { throw Invalid(description: "\(text) is not a number") }
            return value
        }
    }
}
