import VigilConfig

/// Masks what a regex matches in the line and in named labels and metadata fields.
final class RedactStep: Sendable {
    let regex: ProcessorRegex
    let replacement: String
    let line: Bool
    let fields: Set<String>

    init(_ config: LogProcessorConfig.Redact) throws(LogsError) {
        regex = try ProcessorRegex(config.pattern)
        replacement = config.replacement
        line = config.line
        fields = Set(config.fields)
    }

    func apply(to record: inout LogRecord) {
        if line {
            let text = String(decoding: record.line, as: UTF8.self)
            let masked = regex.replacingMatches(in: text, with: replacement)
            if masked != text { record.line = Array(masked.utf8) }
        }
        guard !fields.isEmpty else { return }
        for index in record.labels.indices where fields.contains(record.labels[index].name) {
            record.labels[index].value = regex.replacingMatches(in: record.labels[index].value, with: replacement)
        }
        for index in record.metadata.indices where fields.contains(record.metadata[index].name) {
            record.metadata[index].value = regex.replacingMatches(in: record.metadata[index].value, with: replacement)
        }
    }
}
