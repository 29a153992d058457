public import Logging
import VigilModel

/// A swift-log handler writing one JSON object per line: `{"ts":"…","level":"info","logger":"…","msg":"…",…}`.
public struct JSONLogHandler: LogHandler {
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
        var line = "{\"ts\":" + JSONQuoting.quote(RFC3339.format(milliseconds: Timestamps.now()))
        line += ",\"level\":" + JSONQuoting.quote(event.level.logfmtName)
        line += ",\"logger\":" + JSONQuoting.quote(label)
        line += ",\"msg\":" + JSONQuoting.quote(event.message.description)
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() where !["ts", "level", "logger", "msg"].contains(key) {
            line += "," + JSONQuoting.quote(key) + ":" + JSONQuoting.quote(merged[key]!.description)
        }
        output.write(line + "}\n")
    }
}
