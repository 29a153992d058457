public import Logging
import VigilConfig
import VigilHTTPClient

/// The integrations of one receiver, built from its configuration: what the dispatcher notifies.
///
/// Holds the HTTP clients the integrations share; call ``shutdown()`` when the configuration is
/// replaced or Vigil stops, once no notification is in flight.
public struct ReceiverIntegrations: Sendable {
    /// The receiver's name.
    public let receiver: String
    /// One integration per configured entry, in the order webhook, email, slack, pagerduty,
    /// telegram, dingtalk, wecom; each numbered within its kind.
    public let integrations: [any Integration]
    private let clients: [ConfiguredHTTPClient]

    /// Builds the integrations of `receiver` (whose global defaults have been inherited, see
    /// ``ReceiverConfig/inheritGlobal(_:receivers:pathPrefix:)``), rendering with `templates`.
    /// Throws when an HTTP client cannot be set up (an unreadable TLS file); the clients already
    /// built are shut down first.
    public init(
        receiver: ReceiverConfig, global: AlertmanagerGlobalConfig, templates: NotificationTemplates,
        logger: Logger
    ) async throws(IntegrationSetupError) {
        self.receiver = receiver.name
        var integrations: [any Integration] = []
        var clients: [ConfiguredHTTPClient] = []
        func delivery(_ config: HTTPClientConfig?, _ timeout: PromDuration, kind: String, index: Int) throws(IntegrationSetupError)
            -> HTTPDelivery
        {
            do {
                let client = try ConfiguredHTTPClient(config: config ?? global.httpConfig)
                clients.append(client)
                return HTTPDelivery(client: client, timeout: Self.bound(timeout))
            } catch {
                throw IntegrationSetupError(receiver: receiver.name, integration: "\(kind)[\(index)]", message: error.description)
            }
        }
        func log(_ kind: String, _ index: Int) -> Logger {
            var logger = logger
            logger[metadataKey: "receiver"] = "\(receiver.name)"
            logger[metadataKey: "integration"] = "\(kind)[\(index)]"
            return logger
        }
        do {
            for (index, config) in receiver.webhookConfigs.enumerated() {
                integrations.append(WebhookIntegration(
                    index: index, sendResolved: config.sendResolved, config: config,
                    delivery: try delivery(config.httpConfig, config.timeout, kind: "webhook", index: index), logger: log("webhook", index)))
            }
            for (index, config) in receiver.emailConfigs.enumerated() {
                integrations.append(EmailIntegration(
                    index: index, sendResolved: config.sendResolved, config: config, templates: templates,
                    timeout: Self.bound(config.timeout), logger: log("email", index)))
            }
            for (index, config) in receiver.slackConfigs.enumerated() {
                integrations.append(SlackIntegration(
                    index: index, sendResolved: config.sendResolved, config: config, templates: templates,
                    delivery: try delivery(config.httpConfig, config.timeout, kind: "slack", index: index), logger: log("slack", index)))
            }
            for (index, config) in receiver.pagerdutyConfigs.enumerated() {
                integrations.append(PagerdutyIntegration(
                    index: index, sendResolved: config.sendResolved, config: config, templates: templates,
                    delivery: try delivery(config.httpConfig, config.timeout, kind: "pagerduty", index: index),
                    logger: log("pagerduty", index)))
            }
            for (index, config) in receiver.telegramConfigs.enumerated() {
                integrations.append(TelegramIntegration(
                    index: index, sendResolved: config.sendResolved, config: config, templates: templates,
                    delivery: try delivery(config.httpConfig, config.timeout, kind: "telegram", index: index),
                    logger: log("telegram", index)))
            }
            for (index, config) in receiver.dingtalkConfigs.enumerated() {
                integrations.append(DingTalkIntegration(
                    index: index, sendResolved: config.sendResolved, config: config, templates: templates,
                    delivery: try delivery(config.httpConfig, config.timeout, kind: "dingtalk", index: index),
                    logger: log("dingtalk", index)))
            }
            for (index, config) in receiver.wecomConfigs.enumerated() {
                integrations.append(WeComIntegration(
                    index: index, sendResolved: config.sendResolved, config: config, templates: templates,
                    delivery: try delivery(config.httpConfig, config.timeout, kind: "wecom", index: index), logger: log("wecom", index)))
            }
        } catch {
            for client in clients { await client.shutdown() }
            throw error
        }
        self.integrations = integrations
        self.clients = clients
    }

    /// A configured timeout, or the default bound when it is 0.
    static func bound(_ timeout: PromDuration) -> Duration {
        timeout == .zero ? IntegrationDefaults.requestTimeout : timeout.duration
    }

    /// Stops the HTTP clients.
    public func shutdown() async {
        for client in clients { await client.shutdown() }
    }
}

/// An integration that cannot be built.
public struct IntegrationSetupError: Error, Sendable, CustomStringConvertible {
    /// The receiver's name.
    public let receiver: String
    /// The integration, as `kind[index]`.
    public let integration: String
    /// What went wrong (never a secret).
    public let message: String

    /// `receiver "name" kind[i]: message`.
    public var description: String { "receiver \"\(receiver)\" \(integration): \(message)" }
}

extension ReceiverIntegrations {
    /// Builds the integrations of every receiver, by name; on failure the ones already built are
    /// shut down.
    public static func build(
        receivers: [ReceiverConfig], global: AlertmanagerGlobalConfig, templates: NotificationTemplates, logger: Logger
    ) async throws(IntegrationSetupError) -> [String: ReceiverIntegrations] {
        var built: [String: ReceiverIntegrations] = [:]
        for receiver in receivers {
            do {
                built[receiver.name] = try await ReceiverIntegrations(
                    receiver: receiver, global: global, templates: templates, logger: logger)
            } catch {
                for integrations in built.values { await integrations.shutdown() }
                throw error
            }
        }
        return built
    }
}
