import VigilConfig
import VigilTemplate
import Crypto
import Logging

/// Delivers to a `pagerduty_configs` entry: an Events API v2 `trigger`/`resolve` event (routing
/// key) or a v1 event (service key), shaped as Alertmanager's PagerDuty notifier shapes them.
struct PagerdutyIntegration: Integration {
    let name = "pagerduty"
    let index: Int
    let sendResolved: Bool
    let config: PagerdutyConfig
    let templates: NotificationTemplates
    let delivery: HTTPDelivery
    let logger: Logger

    /// Events API v1's endpoint (Alertmanager does not make it configurable).
    static let v1URL = "https://events.pagerduty.com/generic/2010-04-15/create_event.json"
    /// PagerDuty's limit on a summary or description.
    static let maximumSummaryRunes = 1024
    /// PagerDuty's limit on an event's size; larger events lose their details.
    static let maximumEventBytes = 512_000

    func notify(_ data: NotificationData) async throws(IntegrationError) {
        let (body, isV1) = try payload(for: data)
        let url = isV1 ? Self.v1URL : (config.url?.string ?? AlertmanagerGlobalConfig().pagerdutyURL.string)
        do {
            try await delivery.post(Array(body.utf8), to: url)
        } catch {
            // v1 answers 403 when rate limited: retry it, as Alertmanager does.
            if isV1, error.description.hasPrefix("unexpected status code 403") {
                throw IntegrationError(retryable: true, error.description)
            }
            throw error
        }
    }

    /// The dedup (v2) or incident (v1) key: the SHA-256 of the group key, in hex.
    static func dedupKey(_ groupKey: String) -> String {
        SHA256.hash(data: Array(groupKey.utf8)).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// The request body and whether it is an Events API v1 event.
    func payload(for data: NotificationData) throws(IntegrationError) -> (String, Bool) {
        let action = data.status == .resolved ? "resolve" : "trigger"
        var details: [String: String] = [:]
        for (key, text) in config.details.sorted(by: { $0.key < $1.key }) {
            do {
                details[key] = try templates.render(text, data: data)
            } catch {
                throw IntegrationError(retryable: false, "\"\(key)\": failed to template \"\(text)\": \(error.description)")
            }
        }
        var render = FieldRenderer(templates: templates, data: data)
        let key = Self.dedupKey(data.groupKey)
        let (summary, truncated) = truncateRunes(render(config.description), Self.maximumSummaryRunes)
        if truncated { logger.warning("truncated PagerDuty summary", metadata: ["max_runes": "\(Self.maximumSummaryRunes)"]) }

        if let serviceKey = config.serviceKey, config.routingKey == nil {
            let keyText = render(try serviceKey.resolve(what: "service_key_file"))
            var client = "", clientURL = ""
            if action == "trigger" {
                client = render(config.client)
                clientURL = render(config.clientURL)
            }
            try render.check()
            guard !keyText.isEmpty else { throw IntegrationError(retryable: false, "service key cannot be empty") }
            func message(_ details: [String: String]) -> GoJSON.Value {
                var members: [(String, GoJSON.Value)] = [
                    ("service_key", .string(keyText)), ("incident_key", .string(key)), ("event_type", .string(action)),
                ]
                if !summary.isEmpty { members.append(("description", .string(summary))) }
                members += [("event_action", .string("")), ("payload", .null)]
                if !client.isEmpty { members.append(("client", .string(client))) }
                if !clientURL.isEmpty { members.append(("client_url", .string(clientURL))) }
                if !details.isEmpty { members.append(("details", .stringMap(details))) }
                return .object(members)
            }
            return (encodeBounded(message, details: details), true)
        }

        let routingKey = render(try (config.routingKey ?? .inline(.init(""))).resolve(what: "routing_key_file"))
        let client = render(config.client)
        let clientURL = render(config.clientURL)
        let source = render(config.source)
        let severity = render(config.severity.isEmpty ? "error" : config.severity)
        let eventClass = render(config.eventClass)
        let component = render(config.component)
        let group = render(config.group)
        var images: [GoJSON.Value] = []
        for image in config.images {
            let src = render(image.src), alt = render(image.alt), href = render(image.href)
            if !src.isEmpty { images.append(.object([("src", .string(src)), ("alt", .string(alt)), ("href", .string(href))])) }
        }
        var links: [GoJSON.Value] = []
        for link in config.links {
            let href = render(link.href), text = render(link.text)
            if !href.isEmpty { links.append(.object([("href", .string(href)), ("text", .string(text))])) }
        }
        do {
            try render.check()
        } catch {
            throw IntegrationError(retryable: false, "failed to template PagerDuty v2 message: \(error.description)")
        }
        guard !routingKey.isEmpty else { throw IntegrationError(retryable: false, "routing key cannot be empty") }
        func message(_ details: [String: String]) -> GoJSON.Value {
            var members: [(String, GoJSON.Value)] = [
                ("routing_key", .string(routingKey)), ("dedup_key", .string(key)), ("event_action", .string(action)),
            ]
            var payload: [(String, GoJSON.Value)] = [
                ("summary", .string(summary)), ("source", .string(source)), ("severity", .string(severity)),
            ]
            if !eventClass.isEmpty { payload.append(("class", .string(eventClass))) }
            if !component.isEmpty { payload.append(("component", .string(component))) }
            if !group.isEmpty { payload.append(("group", .string(group))) }
            if !details.isEmpty { payload.append(("custom_details", .stringMap(details))) }
            members.append(("payload", .object(payload)))
            if !client.isEmpty { members.append(("client", .string(client))) }
            if !clientURL.isEmpty { members.append(("client_url", .string(clientURL))) }
            if !images.isEmpty { members.append(("images", .array(images))) }
            if !links.isEmpty { members.append(("links", .array(links))) }
            return .object(members)
        }
        return (encodeBounded(message, details: details), false)
    }

    /// Encodes the event; one over PagerDuty's size limit is sent with its details replaced by a note.
    private func encodeBounded(_ message: ([String: String]) -> GoJSON.Value, details: [String: String]) -> String {
        let body = GoJSON.encode(message(details)) + "\n"
        guard body.utf8.count > Self.maximumEventBytes else { return body }
        logger.warning("PagerDuty event too large; custom details removed", metadata: ["bytes": "\(body.utf8.count)"])
        let note = "Custom details have been removed because the original event exceeds the maximum size of 512kB"
        return GoJSON.encode(message(["error": note])) + "\n"
    }
}
