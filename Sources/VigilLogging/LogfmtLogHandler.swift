public import Logging
import VigilModel

/// A swift-log handler writing logfmt: `ts=2026-01-02T03:04:05.678Z level=info logger=tsdb msg="…" k=v`.
public struct LogfmtLogHandler: LogHandler {
    /// Handler-level metadata, merged under each event's own.
    public var metadata: Logger.Metadata = [:]
    /// The most verbose level written.
    public var logLevel: Logger.Level
    private let label: String
    private let output: LogOutput

    /// A handler for `label` writing events at `level` and above to `output`.
    public init(label: String, level: Logger.Level, output: LogOutput) {
        self.label = label
        self.logLevel = level
        self.output = output
    }

    /// Handler-level metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one event as one line.
    public func log(event: LogEvent) {
        var line = "ts=" + RFC3339.format(milliseconds: Timestamps.now())
        line += " level=" + event.level.logfmtName
        line += " logger=" + Self.quoted(label)
        line += " msg=" + Self.quoted(event.message.description)
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() {
            line += " " + Self.quoted(key) + "=" + Self.quoted(merged[key]!.description)
        }
        output.write(line + "\n")
    }

    /// A logfmt value: bare when it is a plain word, otherwise quoted with `"`, `\` and control characters escaped.
    static func quoted(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "=" || scalar == "\"" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7f
        }
        guard needsQuotes else { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension Logger.Level {
    /// The level words Prometheus's logs use (`warn`, not `warning`).
    var logfmtName: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warn"
        case .error, .critical: "error"
        }
    }
}
