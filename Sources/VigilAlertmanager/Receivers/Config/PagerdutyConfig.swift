public import VigilConfig

/// One entry of a receiver's `pagerduty_configs`: an Events API v2 event (with `routing_key`) or a
/// v1 event (with `service_key`).
///
/// `description`, `client`, `client_url`, `source`, `severity`, `class`, `component`, `group`,
/// `details` values and image/link fields are notification templates.
public struct PagerdutyConfig: Sendable, Hashable, Decodable {
    /// Whether resolved alerts are sent (default true).
    public var sendResolved: Bool
    /// HTTP client settings; nil until the global one is inherited.
    public var httpConfig: HTTPClientConfig?
    /// The Events API v2 integration key, inline or from a file.
    public var routingKey: CredentialSource<Secret>?
    /// The Events API v1 service key, inline or from a file (used when there is no routing key).
    public var serviceKey: CredentialSource<Secret>?
    /// The events endpoint; from the global `pagerduty_url` when unset.
    public var url: EndpointURL?
    /// The client name shown in PagerDuty (default `{{ template "pagerduty.default.client" . }}`).
    public var client: String
    /// The client link (default `{{ template "pagerduty.default.clientURL" . }}`).
    public var clientURL: String
    /// The incident summary (default `{{ template "pagerduty.default.description" .}}`).
    public var description: String
    /// Custom details; Alertmanager's `firing`, `resolved`, `num_firing`, `num_resolved` are added
    /// unless given.
    public var details: [String: String]
    /// Images attached to the event.
    public var images: [PagerdutyImage]
    /// Links attached to the event.
    public var links: [PagerdutyLink]
    /// The event's source (default: the value of `client`).
    public var source: String
    /// `critical`, `error`, `warning` or `info`; `error` when it renders empty.
    public var severity: String
    /// The event's class.
    public var eventClass: String
    /// The event's component.
    public var component: String
    /// The event's group.
    public var group: String
    /// Longest a delivery may take; 0 means the default bound.
    public var timeout: PromDuration

    /// The details Alertmanager adds to every event unless the configuration sets them.
    public static let defaultDetails: [String: String] = [
        "firing": #"{{ template "pagerduty.default.instances" .Alerts.Firing }}"#,
        "resolved": #"{{ template "pagerduty.default.instances" .Alerts.Resolved }}"#,
        "num_firing": "{{ .Alerts.Firing | len }}",
        "num_resolved": "{{ .Alerts.Resolved | len }}",
    ]

    enum CodingKeys: String, CodingKey {
        case sendResolved = "send_resolved"
        case httpConfig = "http_config"
        case routingKey = "routing_key"
        case routingKeyFile = "routing_key_file"
        case serviceKey = "service_key"
        case serviceKeyFile = "service_key_file"
        case url, client, description, details, images, links, source, severity, component, group, timeout
        case clientURL = "client_url"
        case eventClass = "class"
    }

    /// Decodes with Alertmanager's defaults and checks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sendResolved = try container.value(.sendResolved, default: true)
        httpConfig = try container.optional(.httpConfig)
        routingKey = try .optional(container, inline: .routingKey, file: .routingKeyFile)
        serviceKey = try .optional(container, inline: .serviceKey, file: .serviceKeyFile)
        url = try container.optional(.url)
        client = try container.value(.client, default: #"{{ template "pagerduty.default.client" . }}"#)
        clientURL = try container.value(.clientURL, default: #"{{ template "pagerduty.default.clientURL" . }}"#)
        description = try container.value(.description, default: #"{{ template "pagerduty.default.description" .}}"#)
        details = try container.map(.details, of: String.self)
        images = try container.list(.images)
        links = try container.list(.links)
        source = try container.value(.source, default: "")
        severity = try container.value(.severity, default: "")
        eventClass = try container.value(.eventClass, default: "")
        component = try container.value(.component, default: "")
        group = try container.value(.group, default: "")
        timeout = try container.value(.timeout, default: .zero)
        if routingKey == nil && serviceKey == nil {
            throw ConfigValidationError("missing service or routing key in PagerDuty config")
        }
        if source.isEmpty { source = client }
        for (key, value) in Self.defaultDetails where details[key] == nil {
            details[key] = value
        }
    }

    /// Resolves file paths against `directory`.
    public mutating func resolvePaths(in directory: String) {
        httpConfig?.resolvePaths(in: directory)
        routingKey = routingKey?.resolvingPaths(in: directory)
        serviceKey = serviceKey?.resolvingPaths(in: directory)
    }
}

/// An image attached to a PagerDuty event; fields are templates.
public struct PagerdutyImage: Sendable, Hashable, Decodable {
    /// The image's URL.
    public var src: String
    /// Alternative text.
    public var alt: String
    /// Where clicking the image leads.
    public var href: String

    enum CodingKeys: String, CodingKey { case src, alt, href }

    /// Decodes the three optional fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        src = try container.value(.src, default: "")
        alt = try container.value(.alt, default: "")
        href = try container.value(.href, default: "")
    }
}

/// A link attached to a PagerDuty event; fields are templates.
public struct PagerdutyLink: Sendable, Hashable, Decodable {
    /// The link's target.
    public var href: String
    /// The link's text.
    public var text: String

    enum CodingKeys: String, CodingKey { case href, text }

    /// Decodes the two optional fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        href = try container.value(.href, default: "")
        text = try container.value(.text, default: "")
    }
}
