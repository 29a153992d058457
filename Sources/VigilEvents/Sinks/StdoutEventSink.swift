/// Writes each event as one JSON line, to standard output or a given writer.
public struct StdoutEventSink: KubernetesEventSink {
    /// `stdout`.
    public let name = "stdout"
    private let write: @Sendable (String) -> Void

    /// A sink handing each line (newline included) to `write`; the default prints.
    public init(write: @escaping @Sendable (String) -> Void = { print($0, terminator: "") }) {
        self.write = write
    }

    /// Writes the batch.
    public func send(_ notifications: [KubernetesEventNotification]) async throws {
        var out = ""
        for notification in notifications { out += EventText.json(notification.record) + "\n" }
        write(out)
    }
}
