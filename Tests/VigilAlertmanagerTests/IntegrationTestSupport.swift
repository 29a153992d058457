import Logging
import VigilAlertmanager
import VigilConfig

/// Builds a receiver's integrations from YAML (as they appear under `receivers:`), with global
/// defaults inherited.
func integrations(_ yaml: String, global: String = "") async throws -> ReceiverIntegrations {
    struct Document: Decodable {
        var global: AlertmanagerGlobalConfig
        var receiver: ReceiverConfig
        enum CodingKeys: String, CodingKey { case global, receiver }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            global = try container.decodeIfPresent(AlertmanagerGlobalConfig.self, forKey: .global) ?? AlertmanagerGlobalConfig()
            receiver = try container.decode(ReceiverConfig.self, forKey: .receiver)
        }
    }
    let text = (global.isEmpty ? "" : "global:\n" + global + "\n") + "receiver:\n  name: test\n" + yaml
    var document = try ConfigDecoder.decode(Document.self, fromYAML: text, fileName: "test.yml")
    try document.receiver.inheritGlobal(document.global)
    var logger = Logger(label: "receivers-test")
    logger.logLevel = .critical
    return try await ReceiverIntegrations(
        receiver: document.receiver, global: document.global, templates: .defaults, logger: logger)
}

/// Runs `body` with the integrations, shutting them down afterwards.
func withIntegrations(
    _ yaml: String, global: String = "", _ body: ([any Integration]) async throws -> Void
) async throws {
    let built = try await integrations(yaml, global: global)
    do {
        try await body(built.integrations)
    } catch {
        await built.shutdown()
        throw error
    }
    await built.shutdown()
}

/// The error `notify` threw, or nil.
func notifyError(_ integration: any Integration, _ data: NotificationData) async -> IntegrationError? {
    do {
        try await integration.notify(data)
        return nil
    } catch {
        return error
    }
}
