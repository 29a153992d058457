import VigilModel
import VigilExposition

/// The metric families of one push body, read from text format 0.0.4 as the Pushgateway reads it.
///
/// Vigil's ``TextParser`` reads the lines (with `goExpfmt`: Go's escapes and `#TYPE`); the families are then put
/// together as Go's `expfmt.TextParser` does, which the Pushgateway uses: a family collects its
/// samples wherever they appear; `x_count`/`x_sum` (and `x_bucket`) belong to a summary (histogram)
/// `x` declared before them; summary and histogram lines with the same labels (apart from
/// `quantile`/`le`) form one metric; `# HELP`/`# TYPE` for such a suffixed name apply to the
/// family; families without samples are dropped; timestamps are read (and later rejected).
public struct PushBody: Sendable, Equatable {
    /// The families in the order first named.
    public var families: [PushedFamily]
    /// Whether any sample carried a timestamp (the Pushgateway rejects such pushes).
    public var hasTimestamps: Bool

    /// A body of `families`.
    public init(families: [PushedFamily], hasTimestamps: Bool = false) {
        self.families = families
        self.hasTimestamps = hasTimestamps
    }

    /// Refuses the bodies Vigil does not read: the Pushgateway's protobuf format
    /// (`application/vnd.google.protobuf`) and compressed ones (any `Content-Encoding` but
    /// `identity`). Every other content type is read as text format 0.0.4, as the Pushgateway
    /// does (it has no OpenMetrics parser).
    ///
    /// - Throws: ``PushgatewayError`` with status 415.
    public static func checkFormat(contentType: String?, contentEncoding: String?) throws(PushgatewayError) {
        let mediaType = (contentType ?? "").split(separator: ";", maxSplits: 1).first ?? ""
        if trimmed(mediaType).lowercased() == "application/vnd.google.protobuf" {
            throw .unsupportedBody("protobuf pushes are not supported; push text format 0.0.4 (Content-Type: text/plain; version=0.0.4)")
        }
        if let contentEncoding, !trimmed(contentEncoding[...]).isEmpty, trimmed(contentEncoding[...]).lowercased() != "identity" {
            throw .unsupportedBody("Content-Encoding \(contentEncoding) is not supported; push the body uncompressed")
        }
    }

    private static func trimmed(_ text: Substring) -> String {
        var text = text
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }

    /// Reads a text format 0.0.4 body.
    ///
    /// - Throws: ``PushgatewayError`` (400) naming the line of the first syntax error, or of a
    ///   second HELP or TYPE for a family, a TYPE after the family's samples, or a `quantile`/`le`
    ///   value that is not a number.
    public static func decode(_ bytes: [UInt8]) throws(PushgatewayError) -> PushBody {
        let result: Result<PushBody, PushgatewayError> = bytes.withUnsafeBytes { buffer in
            var assembler = Assembler()
            var parser = TextParser(bytes: buffer, goExpfmt: true)
            do throws(ExpositionError) {
                while let entry = try parser.next() {
                    do throws(PushgatewayError) {
                        try assembler.take(entry, from: parser)
                    } catch {
                        return .failure(error)
                    }
                }
            } catch {
                return .failure(.invalidBody("text format parsing error in line \(error.line), column \(error.column): \(error.message)"))
            }
            return .success(assembler.body)
        }
        return try result.get()
    }
}

/// Go's `TextParser` state: families by name, and summary/histogram metrics by label signature.
private struct Assembler {
    struct Draft {
        var name: String
        var help: String?
        var type: MetricType?
        var metrics: [PushedMetric] = []
    }

    struct Signature: Hashable {
        let family: String
        let labels: [Label]
    }

    var drafts: [Draft] = []
    var byName: [String: Int] = [:]
    var compound: [Signature: Int] = [:]
    var hasTimestamps = false

    var body: PushBody {
        let families = drafts.compactMap { draft -> PushedFamily? in
            guard !draft.metrics.isEmpty, let type = draft.type else { return nil }
            return PushedFamily(name: draft.name, help: draft.help, type: type, metrics: draft.metrics)
        }
        return PushBody(families: families, hasTimestamps: hasTimestamps)
    }

    mutating func take(_ entry: ExpositionEntry, from parser: TextParser) throws(PushgatewayError) {
        switch entry {
        case .help:
            let text = parser.helpText()
            // Go's parser creates the family but ignores a HELP with no text.
            let (index, _, _) = family(named: String(decoding: parser.metricName, as: UTF8.self))
            guard !text.isEmpty else { return }
            guard drafts[index].help == nil else {
                throw lineError(parser, "second HELP line for metric name \(quoted(drafts[index].name))")
            }
            drafts[index].help = text
        case .type:
            let (index, _, _) = family(named: String(decoding: parser.metricName, as: UTF8.self))
            guard drafts[index].type == nil else {
                throw lineError(parser, "second TYPE line for metric name \(quoted(drafts[index].name)), or TYPE reported after samples")
            }
            drafts[index].type = parser.metricType
        case .comment, .unit:
            return
        case .series:
            try takeSample(parser)
        }
    }

    private mutating func takeSample(_ parser: TextParser) throws(PushgatewayError) {
        let (index, isCount, isSum) = family(named: String(decoding: parser.metricName, as: UTF8.self))
        if drafts[index].type == nil { drafts[index].type = .unknown }
        if parser.timestamp != nil { hasTimestamps = true }
        let value = parser.value
        var labels = parser.labelPairs()
        switch drafts[index].type {
        case .summary:
            let quantile = try special("quantile", in: &labels, parser)
            let metric = compoundMetric(family: index, labels: labels, empty: .summary(.init()))
            guard case .summary(var summary) = drafts[index].metrics[metric].value else { return }
            if isCount {
                summary.count = GoNumbers.uint64(value)
            } else if isSum {
                summary.sum = value
            } else if let quantile, !quantile.isNaN {
                summary.quantiles.append(.init(quantile: quantile, value: value))
            }
            drafts[index].metrics[metric].value = .summary(summary)
        case .histogram:
            let bound = try special("le", in: &labels, parser)
            let metric = compoundMetric(family: index, labels: labels, empty: .histogram(.init()))
            guard case .histogram(var histogram) = drafts[index].metrics[metric].value else { return }
            if isCount {
                histogram.count = GoNumbers.uint64(value)
            } else if isSum {
                histogram.sum = value
            } else if let bound, !bound.isNaN {
                histogram.buckets.append(.init(upperBound: bound, cumulativeCount: GoNumbers.uint64(value)))
            }
            drafts[index].metrics[metric].value = .histogram(histogram)
        case .counter:
            drafts[index].metrics.append(PushedMetric(labels: labels, value: .counter(value)))
        case .gauge:
            drafts[index].metrics.append(PushedMetric(labels: labels, value: .gauge(value)))
        case .gaugehistogram:
            throw lineError(parser, "unexpected type for metric name \(quoted(drafts[index].name))")
        default:
            drafts[index].metrics.append(PushedMetric(labels: labels, value: .untyped(value)))
        }
    }

    /// Removes the `quantile` or `le` label and returns its number (`nil` when absent).
    private func special(_ name: String, in labels: inout [Label], _ parser: TextParser) throws(PushgatewayError) -> Double? {
        guard let position = labels.firstIndex(where: { $0.name == name }) else { return nil }
        let text = labels.remove(at: position).value
        guard let number = GoNumbers.parseFloat(text) else {
            throw lineError(parser, "expected float as value for '\(name)' label, got \(quoted(text))")
        }
        return number
    }

    /// The summary or histogram metric of `family` with these labels, created if new.
    private mutating func compoundMetric(family index: Int, labels: [Label], empty: PushedMetric.Value) -> Int {
        let signature = Signature(
            family: drafts[index].name,
            labels: labels.sorted { ByteOrder.less($0.name, $1.name) }
        )
        if let metric = compound[signature] { return metric }
        drafts[index].metrics.append(PushedMetric(labels: labels, value: empty))
        compound[signature] = drafts[index].metrics.count - 1
        return drafts[index].metrics.count - 1
    }

    /// Go's `setOrCreateCurrentMF`: the family `name` belongs to, and whether it is that family's
    /// `_count` or `_sum`.
    private mutating func family(named name: String) -> (index: Int, isCount: Bool, isSum: Bool) {
        if let index = byName[name] { return (index, false, false) }
        let isCount = name.utf8.count > 6 && name.hasSuffix("_count")
        let isSum = name.utf8.count > 4 && name.hasSuffix("_sum")
        let isBucket = name.utf8.count > 7 && name.hasSuffix("_bucket")
        if isCount || isSum, let index = byName[String(name.dropLast(isCount ? 6 : 4))], drafts[index].type == .summary {
            return (index, isCount, isSum)
        }
        if isCount || isSum || isBucket,
           let index = byName[String(name.dropLast(isCount ? 6 : isSum ? 4 : 7))], drafts[index].type == .histogram {
            return (index, isCount, isSum)
        }
        drafts.append(Draft(name: name))
        byName[name] = drafts.count - 1
        return (drafts.count - 1, false, false)
    }

    private func lineError(_ parser: TextParser, _ message: String) -> PushgatewayError {
        .invalidBody("text format parsing error in line \(parser.line): \(message)")
    }

    private func quoted(_ text: String) -> String { JSONQuoting.quote(text) }
}
