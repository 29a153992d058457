public import VigilModel

/// Serialises metric families into an exposition, as the Go client does.
///
/// Text 0.0.4: `# HELP` (escaping `\\` and `\n`), `# TYPE` with ``MetricType/textName``, then the
/// samples with integer-millisecond timestamps; exemplars and units are dropped. OpenMetrics:
/// `# HELP` (also escaping `"`), `# TYPE`, `# UNIT`, samples with timestamps in seconds and
/// exemplars, then `# EOF`; a counter family `x_total` is written as family `x` and a counter
/// sample lacking `_total`/`_created` gets `_total`, an info family `x_info` as family `x`.
/// Values use Go's shortest `'g'` form (``GoFloat``); OpenMetrics adds `.0` to integral values
/// as client_golang does. Families and samples are written in the order given.
public struct ExpositionWriter: Sendable {
    /// The format written.
    public let format: ExpositionFormat

    /// Creates a writer for `format`.
    public init(format: ExpositionFormat) {
        self.format = format
    }

    /// The exposition of `families` in `format` as bytes (shorthand for `init(format:)` + `encode`).
    public static func write(_ families: [MetricFamily], format: ExpositionFormat) -> [UInt8] {
        ExpositionWriter(format: format).encode(families)
    }

    /// The exposition of `families` as bytes.
    public func encode(_ families: [MetricFamily]) -> [UInt8] {
        var buffer: [UInt8] = []
        write(families, into: &buffer)
        return buffer
    }

    /// Appends the exposition of `families` to `buffer`.
    public func write(_ families: [MetricFamily], into buffer: inout [UInt8]) {
        for family in families {
            switch format {
            case .text: writeText(family, into: &buffer)
            case .openMetrics: writeOpenMetrics(family, into: &buffer)
            }
        }
        if format == .openMetrics { buffer.append(contentsOf: "# EOF\n".utf8) }
    }

    private func writeText(_ family: MetricFamily, into buffer: inout [UInt8]) {
        if !family.help.isEmpty {
            buffer.append(contentsOf: "# HELP ".utf8)
            buffer.append(contentsOf: family.name.utf8)
            buffer.append(UInt8(ascii: " "))
            appendEscaped(family.help, quotes: false, into: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
        buffer.append(contentsOf: "# TYPE ".utf8)
        buffer.append(contentsOf: family.name.utf8)
        buffer.append(UInt8(ascii: " "))
        buffer.append(contentsOf: family.type.textName.utf8)
        buffer.append(UInt8(ascii: "\n"))
        for sample in family.samples {
            appendSeries(name: sample.name, labels: sample.labels, into: &buffer)
            buffer.append(UInt8(ascii: " "))
            GoFloat.append(sample.value, to: &buffer)
            if let timestamp = sample.timestamp {
                buffer.append(UInt8(ascii: " "))
                buffer.append(contentsOf: String(timestamp).utf8)
            }
            buffer.append(UInt8(ascii: "\n"))
        }
    }

    private func writeOpenMetrics(_ family: MetricFamily, into buffer: inout [UInt8]) {
        var name = family.name
        if family.type == .counter && name.hasSuffix("_total") { name.removeLast(6) }
        if family.type == .info && name.hasSuffix("_info") { name.removeLast(5) }
        if !family.help.isEmpty {
            buffer.append(contentsOf: "# HELP ".utf8)
            buffer.append(contentsOf: name.utf8)
            buffer.append(UInt8(ascii: " "))
            appendEscaped(family.help, quotes: true, into: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
        buffer.append(contentsOf: "# TYPE ".utf8)
        buffer.append(contentsOf: name.utf8)
        buffer.append(UInt8(ascii: " "))
        buffer.append(contentsOf: family.type.openMetricsName.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if !family.unit.isEmpty {
            buffer.append(contentsOf: "# UNIT ".utf8)
            buffer.append(contentsOf: name.utf8)
            buffer.append(UInt8(ascii: " "))
            buffer.append(contentsOf: family.unit.utf8)
            buffer.append(UInt8(ascii: "\n"))
        }
        for sample in family.samples {
            var sampleName = sample.name
            if family.type == .counter && !sampleName.hasSuffix("_total") && !sampleName.hasSuffix("_created") {
                sampleName += "_total"
            }
            appendSeries(name: sampleName, labels: sample.labels, into: &buffer)
            buffer.append(UInt8(ascii: " "))
            appendOpenMetricsFloat(sample.value, into: &buffer)
            if let timestamp = sample.timestamp {
                buffer.append(UInt8(ascii: " "))
                appendSeconds(timestamp, into: &buffer)
            }
            if let exemplar = sample.exemplar {
                buffer.append(contentsOf: " # ".utf8)
                appendLabelSet(exemplar.labels, into: &buffer)
                buffer.append(UInt8(ascii: " "))
                appendOpenMetricsFloat(exemplar.value, into: &buffer)
                if let timestamp = exemplar.timestamp {
                    buffer.append(UInt8(ascii: " "))
                    appendSeconds(timestamp, into: &buffer)
                }
            }
            buffer.append(UInt8(ascii: "\n"))
        }
    }

    private func appendSeries(name: String, labels: Labels, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: name.utf8)
        let visible = labels.withoutName
        if !visible.isEmpty { appendLabelSet(visible, into: &buffer) }
    }

    private func appendLabelSet(_ labels: Labels, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "{"))
        for (index, label) in labels.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.append(contentsOf: label.name.utf8)
            buffer.append(contentsOf: "=\"".utf8)
            appendEscaped(label.value, quotes: true, into: &buffer)
            buffer.append(UInt8(ascii: "\""))
        }
        buffer.append(UInt8(ascii: "}"))
    }

    private func appendEscaped(_ text: String, quotes: Bool, into buffer: inout [UInt8]) {
        // Most help texts and label values need no escaping: copy them whole.
        let plain = !text.utf8.contains { byte in
            byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\n") || (quotes && byte == UInt8(ascii: "\""))
        }
        if plain {
            buffer.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): buffer.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\"") where quotes: buffer.append(contentsOf: "\\\"".utf8)
            default: buffer.append(byte)
            }
        }
    }

    private func appendOpenMetricsFloat(_ value: Double, into buffer: inout [UInt8]) {
        let start = buffer.count
        GoFloat.append(value, to: &buffer)
        guard value.isFinite else { return }
        for byte in buffer[start...] where byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") { return }
        buffer.append(contentsOf: ".0".utf8)
    }

    /// Writes milliseconds as exact decimal seconds (`1712345678.123`, `-0.5`, `12`).
    private func appendSeconds(_ timestamp: Timestamp, into buffer: inout [UInt8]) {
        let magnitude = timestamp.magnitude
        if timestamp < 0 { buffer.append(UInt8(ascii: "-")) }
        buffer.append(contentsOf: String(magnitude / 1000).utf8)
        var fraction = magnitude % 1000
        guard fraction != 0 else { return }
        buffer.append(UInt8(ascii: "."))
        var divisor: UInt64 = 100
        while fraction != 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }
}
