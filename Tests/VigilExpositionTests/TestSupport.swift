import VigilExposition
import VigilModel

/// One parsed entry, materialised for comparisons in tests.
enum Parsed: Equatable, CustomStringConvertible {
    case help(String, String)
    case type(String, MetricType)
    case unit(String, String)
    case comment(String)
    case series(raw: String, labels: Labels, value: Double, timestamp: Int64?, exemplar: Exemplar?)

    static func == (lhs: Parsed, rhs: Parsed) -> Bool {
        switch (lhs, rhs) {
        case let (.help(a, b), .help(c, d)): a == c && b == d
        case let (.type(a, b), .type(c, d)): a == c && b == d
        case let (.unit(a, b), .unit(c, d)): a == c && b == d
        case let (.comment(a), .comment(b)): a == b
        case let (.series(r1, l1, v1, t1, e1), .series(r2, l2, v2, t2, e2)):
            r1 == r2 && l1 == l2 && (v1 == v2 || v1.bitPattern == v2.bitPattern || (v1.isNaN && v2.isNaN)) && t1 == t2 && e1 == e2
        default: false
        }
    }

    var description: String {
        switch self {
        case let .help(a, b): "help(\(a), \(b))"
        case let .type(a, b): "type(\(a), \(b))"
        case let .unit(a, b): "unit(\(a), \(b))"
        case let .comment(a): "comment(\(a))"
        case let .series(raw, labels, value, timestamp, exemplar):
            "series(\(raw), \(labels), \(value), \(String(describing: timestamp)), \(String(describing: exemplar)))"
        }
    }
}

func string(_ bytes: UnsafeRawBufferPointer) -> String {
    String(decoding: bytes, as: UTF8.self)
}

func collect<P: ExpositionParser>(_ parser: inout P) throws(ExpositionError) -> [Parsed] {
    var result: [Parsed] = []
    while let entry = try parser.next() { result.append(materialise(entry, parser)) }
    return result
}

/// The entry `parser` just read, materialised.
func materialise<P: ExpositionParser>(_ entry: ExpositionEntry, _ parser: P) -> Parsed {
    switch entry {
    case .help: .help(string(parser.metricName), parser.helpText())
    case .type: .type(string(parser.metricName), parser.metricType)
    case .unit: .unit(string(parser.metricName), parser.unit())
    case .comment: .comment(string(parser.comment))
    case .series:
        .series(raw: string(parser.series), labels: parser.labels(), value: parser.value,
                timestamp: parser.timestamp, exemplar: parser.exemplar())
    }
}

/// Parses `bytes` in `format` and materialises every entry.
func parse(_ bytes: [UInt8], _ format: ExpositionFormat) throws(ExpositionError) -> [Parsed] {
    let result: Result<[Parsed], ExpositionError> = bytes.withUnsafeBytes { buffer in
        do throws(ExpositionError) {
            switch format {
            case .text:
                var parser = TextParser(bytes: buffer)
                return .success(try collect(&parser))
            case .openMetrics:
                var parser = OpenMetricsParser(bytes: buffer)
                return .success(try collect(&parser))
            }
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}

func parse(_ text: String, _ format: ExpositionFormat) throws(ExpositionError) -> [Parsed] {
    try parse(Array(text.utf8), format)
}

/// The error parsing `text` raises, or nil if it parses.
func parseError(_ text: String, _ format: ExpositionFormat) -> ExpositionError? {
    parseError(Array(text.utf8), format)
}

func parseError(_ bytes: [UInt8], _ format: ExpositionFormat) -> ExpositionError? {
    do {
        _ = try parse(bytes, format)
        return nil
    } catch {
        return error
    }
}
