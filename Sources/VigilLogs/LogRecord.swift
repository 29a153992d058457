/// One log line on its way to the outputs: a time, the stream it came from, its bytes, and what
/// the processors added (labels and structured metadata of this line alone).
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
    /// Labels of this line only; they join (and override) the frame's labels to form its stream.
    public var labels: [LogField]
    /// Structured metadata: name/value pairs kept with the line but not indexed as labels.
    public var metadata: [LogField]

    /// A record of `line` written at `timestamp` (ns) to `stream`.
    public init(timestamp: Int64, stream: Stream = .none, line: [UInt8], labels: [LogField] = [], metadata: [LogField] = []) {
        self.timestamp = timestamp
        self.stream = stream
        self.line = line
        self.labels = labels
        self.metadata = metadata
    }

    /// Sets label `name` (replacing an earlier value).
    public mutating func setLabel(_ name: String, _ value: String) {
        LogField.set(name, value, in: &labels)
    }

    /// Sets metadata field `name` (replacing an earlier value).
    public mutating func setMetadata(_ name: String, _ value: String) {
        LogField.set(name, value, in: &metadata)
    }
}

/// A name and a value: one label or one structured-metadata field of a ``LogRecord``.
public struct LogField: Sendable, Hashable {
    /// The name (a valid label name for labels).
    public var name: String
    /// The value.
    public var value: String

    /// The field `name` = `value`.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Replaces the value of `name` in `fields`, or appends it.
    static func set(_ name: String, _ value: String, in fields: inout [LogField]) {
        if let index = fields.firstIndex(where: { $0.name == name }) {
            fields[index].value = value
        } else {
            fields.append(LogField(name, value))
        }
    }
}
