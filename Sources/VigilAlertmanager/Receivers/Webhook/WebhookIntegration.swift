import Logging

/// Delivers to a `webhook_configs` entry: POSTs the version-4 JSON payload.
struct WebhookIntegration: Integration {
    let name = "webhook"
    let index: Int
    let sendResolved: Bool
    let config: WebhookConfig
    let delivery: HTTPDelivery
    let logger: Logger

    func notify(_ data: NotificationData) async throws(IntegrationError) {
        let payload = WebhookPayload.encode(data.truncated(to: config.maxAlerts))
        let url = try config.url.resolve()
        try await delivery.post(Array(payload.utf8), to: url)
        logger.debug("webhook notification delivered", metadata: ["integration": "webhook[\(index)]", "alerts": "\(data.alerts.count)"])
    }
}
