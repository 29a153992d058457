public import Logging
import VigilModel

/// Vigil's swift-log handler: one line per event, in logfmt
/// (`ts=2026-01-02T03:04:05.678Z level=info logger=tsdb msg="…" k=v`) or as one JSON object
/// (`{"ts":"…","level":"info","logger":"…","msg":"…",…}`), as `--log.format` says.
public struct LineLogHandler: LogHandler {
    /// Handler-level metadata, merged under each event's own.
    public var metadata: Logger.Metadata = [:]
    /// The most verbose level written.
    public var logLevel: Logger.Level
    private let label: String
    private let format: LogFormat
    private let output: LogOutput

    /// A handler for `label` writing events at `level` and above to `output` in `format`.
    public init(label: String, level: Logger.Level, format: LogFormat, output: LogOutput) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.output = output
    }

    /// Handler-level metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one event as one line.
    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let time = RFC3339.format(milliseconds: Timestamps.now())
        var line: String
        switch format {
        case .logfmt:
            line = "ts=" + time + " level=" + event.level.logfmtName + " logger=" + Logfmt.quoted(label)
            line += " msg=" + Logfmt.quoted(event.message.description)
            for key in merged.keys.sorted() {
                line += " " + Logfmt.quoted(key) + "=" + Logfmt.quoted(merged[key]!.description)
            }
            line += "\n"
        case .json:
            line = "{\"ts\":" + JSONQuoting.quote(time) + ",\"level\":" + JSONQuoting.quote(event.level.logfmtName)
            line += ",\"logger\":" + JSONQuoting.quote(label) + ",\"msg\":" + JSONQuoting.quote(event.message.description)
            for key in merged.keys.sorted() where !["ts", "level", "logger", "msg"].contains(key) {
                line += "," + JSONQuoting.quote(key) + ":" + JSONQuoting.quote(merged[key]!.description)
            }
            line += "}\n"
        }
        output.write(line)
    }
}

/// logfmt's value syntax.
enum Logfmt {
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
