/// One way a receiver delivers notifications (one entry of a receiver's `webhook_configs`,
/// `email_configs`, ...). The dispatcher's pipeline deduplicates per integration through the
/// notification log, so each integration is identified by its kind and its index in the receiver.
public protocol Integration: Sendable {
    /// The kind as Alertmanager names it in the notification log and metrics (`webhook`, `email`,
    /// `slack`, `pagerduty`, `telegram`, `dingtalk`, `wecom`).
    var name: String { get }
    /// Position among the receiver's integrations of the same kind.
    var index: Int { get }
    /// Whether resolved alerts are sent (`send_resolved`).
    var sendResolved: Bool { get }
    /// Delivers one notification. A thrown ``IntegrationError`` says whether retrying may help.
    func notify(_ data: NotificationData) async throws(IntegrationError)
}

/// Why an integration could not deliver a notification.
public struct IntegrationError: Error, Sendable, CustomStringConvertible {
    /// True for failures a later attempt may get past (5xx, 429, timeouts, refused connections);
    /// false for ones it cannot (4xx, a template that does not render).
    public var retryable: Bool
    /// What went wrong, with no secret in it.
    public var description: String

    /// An error with its retry verdict.
    public init(retryable: Bool, _ description: String) {
        self.retryable = retryable
        self.description = description
    }
}
