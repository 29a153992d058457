/// What a sink is handed: an event seen for the first time.
public struct KubernetesEventNotification: Sendable, Hashable {
    /// The event.
    public var record: KubernetesEventRecord
    /// The event object's resource version when it was first seen (0 when not numeric): the
    /// order of notifications and the unit of the hand-over watermark (``EventHandOver``).
    public var position: UInt64

    /// A notification of `record` at `position`.
    public init(record: KubernetesEventRecord, position: UInt64 = 0) {
        self.record = record
        self.position = position
    }
}

/// A destination for event notifications (stdout, a webhook, a chat robot, a store).
public protocol KubernetesEventSink: Sendable {
    /// A short name for logs and metrics (`stdout`, `dingtalk`).
    var name: String { get }
    /// The most notifications one ``send(_:)`` takes. Sinks that make one request per event say
    /// 1, so a failure part-way through a batch cannot make its retry repeat what was delivered.
    var maxBatch: Int { get }
    /// Delivers a batch; throwing makes the caller retry it with backoff.
    func send(_ notifications: [KubernetesEventNotification]) async throws
}

extension KubernetesEventSink {
    /// Batches of up to 100: the batch is one request (or one write).
    public var maxBatch: Int { 100 }
}
