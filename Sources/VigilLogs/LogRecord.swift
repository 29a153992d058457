/// One log line on its way to the outputs: a time, the stream it came from, and its bytes.
public struct LogRecord: Sendable, Hashable {
    /// Which container stream a line came from; `.none` for plain files.
    public enum Stream: UInt8, Sendable, Hashable {
        /// Not a container log.
        case none = 0
        /// The container's standard output.
        case stdout = 1
        /// The container's standard error.
        case stderr = 2

        /// The `stream` label's value; empty for `.none`.
        public var name: String {
            switch self {
            case .none: ""
            case .stdout: "stdout"
            case .stderr: "stderr"
            }
        }
    }

    /// Nanoseconds since the Unix epoch.
    public var timestamp: Int64
    /// The stream it was written to.
    public var stream: Stream
    /// The line without its newline (not necessarily UTF-8).
    public var line: [UInt8]

    /// A record of `line` written at `timestamp` (ns) to `stream`.
    public init(timestamp: Int64, stream: Stream = .none, line: [UInt8]) {
        self.timestamp = timestamp
        self.stream = stream
        self.line = line
    }
}
