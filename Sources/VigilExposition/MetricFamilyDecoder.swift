public import VigilModel

extension ExpositionFormat {
    /// Parses a whole exposition into metric families (allocating; for tests, federation and
    /// tools, not the scrape hot path).
    ///
    /// Samples are grouped with the family whose TYPE/HELP/UNIT precedes them when their name
    /// fits the family's type (`x_bucket` with histogram `x`, ...); any other sample starts an
    /// untyped family of its own name. OpenMetrics counter and info families are renamed to their
    /// sample names (`x` → `x_total`, `x` → `x_info`) as ``MetricFamily`` documents.
    public func decodeFamilies(_ bytes: [UInt8]) throws(ExpositionError) -> [MetricFamily] {
        let result: Result<[MetricFamily], ExpositionError> = bytes.withUnsafeBytes { buffer in
            do throws(ExpositionError) {
                switch self {
                case .text:
                    var parser = TextParser(bytes: buffer)
                    return .success(try FamilyAssembler.assemble(&parser, openMetrics: false))
                case .openMetrics:
                    var parser = OpenMetricsParser(bytes: buffer)
                    return .success(try FamilyAssembler.assemble(&parser, openMetrics: true))
                }
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

enum FamilyAssembler {
    static func assemble<Parser: ExpositionParser>(_ parser: inout Parser, openMetrics: Bool) throws(ExpositionError) -> [MetricFamily] {
        var families: [MetricFamily] = []
        var current: MetricFamily?
        func flush() {
            if var family = current {
                if openMetrics && family.type == .counter { family.name += "_total" }
                if openMetrics && family.type == .info { family.name += "_info" }
                families.append(family)
            }
            current = nil
        }
        func begin(_ name: String) {
            if current?.name != name {
                flush()
                current = MetricFamily(name: name, type: .unknown)
            }
        }
        while let entry = try parser.next() {
            switch entry {
            case .help:
                begin(String(decoding: parser.metricName, as: UTF8.self))
                current?.help = parser.helpText()
            case .type:
                begin(String(decoding: parser.metricName, as: UTF8.self))
                current?.type = parser.metricType
            case .unit:
                begin(String(decoding: parser.metricName, as: UTF8.self))
                current?.unit = parser.unit()
            case .comment:
                continue
            case .series:
                let name = String(decoding: parser.metricName, as: UTF8.self)
                if current == nil || !belongs(name, to: current!, openMetrics: openMetrics) {
                    flush()
                    current = MetricFamily(name: name, type: .unknown)
                }
                let labels = parser.labels()
                current?.samples.append(.init(
                    name: name, labels: labels.withoutName, value: parser.value,
                    timestamp: parser.timestamp, exemplar: parser.exemplar()))
            }
        }
        flush()
        return families
    }

    private static func belongs(_ sample: String, to family: MetricFamily, openMetrics: Bool) -> Bool {
        let suffixes: [String]
        switch family.type {
        case .counter: suffixes = openMetrics ? ["_total", "_created"] : [""]
        case .histogram: suffixes = ["_bucket", "_count", "_sum", "_created"]
        case .gaugehistogram: suffixes = ["_bucket", "_gcount", "_gsum"]
        case .summary: suffixes = ["", "_count", "_sum", "_created"]
        case .info: suffixes = openMetrics ? ["_info"] : [""]
        case .gauge, .stateset, .unknown: suffixes = [""]
        }
        return suffixes.contains { family.name + $0 == sample }
    }
}
