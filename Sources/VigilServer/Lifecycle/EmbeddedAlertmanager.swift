import Logging
import Synchronization
import VigilAlertmanager
import VigilConfig
import VigilModel
import VigilNotifier

/// The Alertmanager inside `vigil server`: its alertmanager.yml (or the built-in default), the
/// receivers' integrations built from it, and the in-process hand-off the notifier delivers the
/// rules' alerts through.
///
/// ``reload()`` re-reads the file (on SIGHUP and `POST /-/reload`, with prometheus.yml): a file
/// that does not load, or receivers that cannot be set up, leave the running configuration alone.
final class EmbeddedAlertmanager: Sendable {
    /// The configuration used when no `--alertmanager.config.file` is given: every alert goes to
    /// one receiver without integrations, so alerts and silences work through the API and amtool
    /// and nothing is sent anywhere.
    static let defaultConfig = """
        # Vigil's built-in Alertmanager configuration: no notifications are sent.
        # Give --alertmanager.config.file to route alerts to receivers.
        route:
          receiver: default
        receivers:
          - name: default
        """

    let alertmanager: Alertmanager
    private let path: String?
    private let logger: Logger
    private let integrations: Mutex<[String: ReceiverIntegrations]>

    /// Loads the configuration and starts from the snapshots under `directory`.
    init(configPath: String?, directory: String, externalURL: String, logger: Logger) async throws {
        path = configPath
        self.logger = logger
        let config = try Self.load(configPath)
        let built = try await Self.integrations(for: config, logger: logger)
        integrations = Mutex(built)
        alertmanager = try Alertmanager(
            config: config, integrations: built.mapValues(\.integrations),
            options: AlertmanagerOptions(dataDirectory: directory, externalURL: externalURL, version: BuildInfo.version),
            logger: logger)
    }

    /// Re-reads the configuration and puts it in force; throws (leaving the old one running) when
    /// it does not load or its receivers cannot be set up.
    func reload() async throws {
        let config = try Self.load(path)
        let built = try await Self.integrations(for: config, logger: logger)
        await alertmanager.reload(config: config, integrations: built.mapValues(\.integrations))
        let previous = integrations.withLock { current in
            defer { current = built }
            return current
        }
        for receiver in previous.values { await receiver.shutdown() }
    }

    /// Where the notifier hands the rules' alerts: straight into the Alertmanager, as a
    /// `POST /api/v2/alerts` would.
    /// With its own configuration file it always gets them; with the built-in configuration only
    /// while prometheus.yml names no Alertmanager (so a migrated prometheus.yml behaves as before).
    func localDestination(url: String) -> LocalAlertmanager {
        let alertmanager = self.alertmanager
        let logger = self.logger
        return LocalAlertmanager(url: url, use: path == nil ? .whenNoneConfigured : .always) { alerts in
            let errors = await alertmanager.putAlerts(alerts.map(Self.postable))
            for error in errors {
                logger.warning("Alert refused by the embedded Alertmanager", metadata: ["err": "\(error)"])
            }
            return errors.count < alerts.count || alerts.isEmpty
        }
    }

    static func postable(_ alert: NotifierAlert) -> PostableAlert {
        PostableAlert(
            labels: alert.labels.dictionary, annotations: alert.annotations.dictionary,
            startsAt: alert.startsAt * 1_000_000, endsAt: alert.endsAt * 1_000_000, generatorURL: alert.generatorURL)
    }

    private static func load(_ path: String?) throws -> AlertmanagerConfiguration {
        guard let path else { return try AlertmanagerConfiguration.parse(yaml: defaultConfig, fileName: "<built-in alertmanager.yml>") }
        return try AlertmanagerConfiguration.load(path: path)
    }

    private static func integrations(
        for config: AlertmanagerConfiguration, logger: Logger
    ) async throws -> [String: ReceiverIntegrations] {
        let templates = try NotificationTemplates.load(globs: config.templates)
        return try await ReceiverIntegrations.build(
            receivers: config.receivers, global: config.global, templates: templates, logger: logger)
    }
}
