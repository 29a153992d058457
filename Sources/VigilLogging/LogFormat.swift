public import Logging

/// How `vigil` writes its own log lines (`--log.format`), as Prometheus offers.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `ts=… level=info msg="…" key=value`, one line per event.
    case logfmt
    /// One JSON object per line.
    case json

    /// Installs the handler for this format and level process-wide; call once at start-up.
    public func bootstrap(level: Logger.Level, output: LogOutput = .standardError) {
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, format: self, output: output) }
    }
}
