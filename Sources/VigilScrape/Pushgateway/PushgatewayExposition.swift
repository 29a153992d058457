public import VigilModel

/// Everything pushed, merged as the Pushgateway's `/metrics` exposes it.
///
/// Families of the same name from different groups are one family (type and help of the first
/// group in grouping-key order; the Pushgateway takes whichever its map yields first); families
/// are sorted by name and metrics as client_golang sorts them (fewer labels first, then label
/// values in order, bytewise; metrics it finds equal stay in pushed order, groups in grouping-key
/// order). The text is Go's `expfmt` text format: `# HELP` only when there is help, summaries and
/// histograms expanded with `quantile`/`le` written last, a `+Inf` bucket added when none was
/// pushed, and empty label values kept (`instance=""`).
public struct PushgatewayExposition: Sendable {
    /// The merged families, sorted by name.
    public let families: [PushedFamily]

    /// The exposition of `groups`.
    public init(groups: some Sequence<PushedGroup>) {
        var merged: [String: PushedFamily] = [:]
        for group in groups.sorted(by: { $0.key < $1.key }) {
            for (name, entry) in group.families {
                if merged[name] == nil {
                    merged[name] = entry.family
                } else {
                    merged[name]!.metrics += entry.family.metrics
                }
            }
        }
        families = merged.values
            .map { family in
                var sorted = family
                sorted.metrics = family.metrics.enumerated()
                    .sorted { PushgatewayExposition.precedes($0.element, $1.element) ?? ($0.offset < $1.offset) }
                    .map(\.element)
                return sorted
            }
            .sorted { ByteOrder.less($0.name, $1.name) }
    }

    /// client_golang's `MetricSorter`: fewer labels first, then label values in order; `nil`
    /// when it finds the two equal (label names are not compared), and then the order pushed
    /// stays, as Go's sort keeps it for short lists.
    private static func precedes(_ lhs: PushedMetric, _ rhs: PushedMetric) -> Bool? {
        if lhs.labels.count != rhs.labels.count { return lhs.labels.count < rhs.labels.count }
        for (left, right) in zip(lhs.labels, rhs.labels) where left.value != right.value {
            return ByteOrder.less(left.value, right.value)
        }
        return nil
    }

    /// The text format 0.0.4 exposition.
    public var text: [UInt8] {
        var buffer: [UInt8] = []
        for family in families { write(family, into: &buffer) }
        return buffer
    }

    /// Every exposed line as a series and value, as Prometheus stores a scrape of the Pushgateway
    /// with `honor_labels: true`: the labels as exposed, `__name__` added, empty values dropped.
    /// A series that appears twice once empty labels are gone keeps its first value.
    public var samples: [(labels: Labels, value: Double)] {
        var result: [(labels: Labels, value: Double)] = []
        var seen = Set<Labels>()
        forEachLine { name, labels, extra, value in
            var builder = LabelsBuilder()
            builder.set(Labels.metricName, name)
            for label in labels { builder.set(label.name, label.value) }
            if let extra { builder.set(extra.name, extra.value) }
            let series = builder.build()
            if seen.insert(series).inserted { result.append((series, value)) }
        }
        return result
    }

    private func write(_ family: PushedFamily, into buffer: inout [UInt8]) {
        if let help = family.help {
            buffer += Array("# HELP \(family.name) ".utf8)
            appendEscaped(help, quotes: false, into: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
        buffer += Array("# TYPE \(family.name) \(family.type.textName)\n".utf8)
        Self.forEachLine(of: family) { name, labels, extra, value in
            buffer += Array(name.utf8)
            if !labels.isEmpty || extra != nil {
                var separator = UInt8(ascii: "{")
                for label in labels + (extra.map { [$0] } ?? []) {
                    buffer.append(separator)
                    buffer += Array(label.name.utf8)
                    buffer += [UInt8(ascii: "="), UInt8(ascii: "\"")]
                    appendEscaped(label.value, quotes: true, into: &buffer)
                    buffer.append(UInt8(ascii: "\""))
                    separator = UInt8(ascii: ",")
                }
                buffer.append(UInt8(ascii: "}"))
            }
            buffer.append(UInt8(ascii: " "))
            GoFloat.append(value, to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
    }

    private func appendEscaped(_ text: String, quotes: Bool, into buffer: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\"") where quotes: buffer += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            default: buffer.append(byte)
            }
        }
    }

    private func forEachLine(_ body: (String, [Label], Label?, Double) -> Void) {
        for family in families { Self.forEachLine(of: family, body) }
    }

    /// The exposition lines of `family` in Go's order: sample name, labels, the `quantile`/`le`
    /// label written after them, and the value.
    private static func forEachLine(of family: PushedFamily, _ body: (String, [Label], Label?, Double) -> Void) {
        let name = family.name
        for metric in family.metrics {
            switch metric.value {
            case .counter(let value), .gauge(let value), .untyped(let value):
                body(name, metric.labels, nil, value)
            case .summary(let summary):
                for quantile in summary.quantiles {
                    body(name, metric.labels, Label(name: "quantile", value: GoFloat.format(quantile.quantile)), quantile.value)
                }
                body(name + "_sum", metric.labels, nil, summary.sum)
                body(name + "_count", metric.labels, nil, Double(summary.count))
            case .histogram(let histogram):
                for bucket in histogram.buckets {
                    body(name + "_bucket", metric.labels, Label(name: "le", value: GoFloat.format(bucket.upperBound)), Double(bucket.cumulativeCount))
                }
                if !histogram.buckets.contains(where: { $0.upperBound == .infinity }) {
                    body(name + "_bucket", metric.labels, Label(name: "le", value: "+Inf"), Double(histogram.count))
                }
                body(name + "_sum", metric.labels, nil, histogram.sum)
                body(name + "_count", metric.labels, nil, Double(histogram.count))
            }
        }
    }
}
