import VigilConfig
import VigilModel

/// A parser step: reads the line into fields, places them as labels or structured metadata, and
/// takes the timestamp. A line that does not parse is kept, labelled `__error__` with Loki's
/// error kind (`JSONParserErr`, …), the reason in `__error_details__` metadata, and counted.
/// A class: the chain switches over its steps once per record, and a reference costs one retain
/// where copying the fields cost one per field.
final class ParseStep: Sendable {
    let parser: any LineFieldParser
    let name: String
    let target: LogProcessorConfig.Parser.Target
    /// Fields that become labels, by name, with their label names.
    let labelNames: [String: String]
    let timestamp: (field: String, parser: TimestampParser)?
    let errors: Counter

    init(_ config: LogProcessorConfig.Parser, metrics: ProcessingMetrics) throws {
        // With nowhere to put other fields, the JSON parser skips their values.
        let wanted = config.target == .none ? Set(config.labels + [config.timestamp?.field].compactMap { $0 }) : nil
        switch config.format {
        case .json:
            parser = JSONFieldParser(wanted: wanted)
            name = "json"
        case .logfmt:
            parser = LogfmtFieldParser()
            name = "logfmt"
        case .regex(let pattern):
            parser = RegexFieldParser(regex: try ProcessorRegex(pattern))
            name = "regex"
        case .nginx(let format):
            parser = NginxFieldParser(format: format)
            name = "nginx"
        case .kubernetesAudit:
            parser = AuditEventParser()
            name = "kubernetes_audit"
        }
        target = config.target
        labelNames = Dictionary(config.labels.map { ($0, LabelNameSanitizer.sanitize($0)) }) { first, _ in first }
        timestamp = config.timestamp.map { ($0.field, TimestampParser(format: $0.format)) }
        errors = try metrics.parseErrors(name)
    }

    func apply(to record: inout LogRecord, metrics: ProcessingMetrics) {
        let fields: [LogField]
        do {
            fields = try parser.fields(of: record.line)
        } catch {
            errors.increment()
            record.setLabel("__error__", error.kind)
            record.setMetadata("__error_details__", error.message)
            return
        }
        metrics.linesParsed.increment()
        for field in fields {
            if !labelNames.isEmpty, let label = labelNames[field.name] {
                record.setLabel(label, field.value)
                continue
            }
            switch target {
            case .metadata: record.setMetadata(field.name, field.value)
            case .labels: record.setLabel(LabelNameSanitizer.sanitize(field.name), field.value)
            case .none: break
            }
        }
        if let timestamp, let field = fields.last(where: { $0.name == timestamp.field }) {
            if let time = timestamp.parser.parse(field.value) {
                record.timestamp = time
            } else {
                errors.increment()
                record.setLabel("__error__", "TimestampParserErr")
                record.setMetadata("__error_details__", "field \(timestamp.field) value \"\(field.value)\" is not in the timestamp format")
            }
        }
    }
}

/// Makes a field name a valid Loki label name: invalid characters become `_`, a leading digit gets a `_` prefix.
enum LabelNameSanitizer {
    static func sanitize(_ name: String) -> String {
        var out = ""
        for (index, scalar) in name.unicodeScalars.enumerated() {
            switch scalar {
            case "a"..."z", "A"..."Z", "_": out.unicodeScalars.append(scalar)
            case "0"..."9":
                if index == 0 { out += "_" }
                out.unicodeScalars.append(scalar)
            default: out += "_"
            }
        }
        return out.isEmpty ? "_" : out
    }
}
