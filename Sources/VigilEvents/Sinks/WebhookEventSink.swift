public import AsyncHTTPClient
public import VigilTemplate

/// A generic webhook: each event POSTed as the JSON object (see ``EventText``), or rendered by a
/// Go text/template whose `.` has the fields `Namespace Name Kind Object Reason Message Type Count
/// Component Host FirstTimestamp LastTimestamp Label` (kube-eventer's custom body, in Go syntax).
public struct WebhookEventSink: KubernetesEventSink {
    /// `webhook`.
    public let name = "webhook"
    /// One request per event.
    public let maxBatch = 1
    let url: String
    let method: String
    let headers: [(String, String)]
    let template: Template?
    let label: String
    let contentType: String
    let poster: EventHTTPPoster

    /// A sink posting to `url`; `template`, when given, is parsed now.
    ///
    /// - Throws: ``TemplateError`` naming the line of a bad template.
    public init(
        url: String, template: String? = nil, headers: [(String, String)] = [], label: String = "",
        contentType: String = "application/json", client: HTTPClient = .shared, timeout: Duration = .seconds(10)
    ) throws(TemplateError) {
        self.url = url
        self.method = "POST"
        self.headers = headers
        self.label = label
        self.contentType = contentType
        self.template = try template.map { text throws(TemplateError) in
            try Template.parse(text, name: "webhook", functionNames: TemplateFunctions().names)
        }
        poster = EventHTTPPoster(client: client, timeout: timeout)
    }

    /// The template data of one event.
    static func data(_ record: KubernetesEventRecord, label: String) -> TemplateValue {
        .record([
            "Namespace": .string(record.namespace), "Name": .string(record.name), "Kind": .string(record.kind),
            "Object": .string(record.objectName), "Reason": .string(record.reason), "Message": .string(record.message),
            "Type": .string(record.type), "Count": .int(record.count), "Component": .string(record.component),
            "Host": .string(record.host), "FirstTimestamp": .string(EventText.timestamp(record.firstSeenMilliseconds)),
            "LastTimestamp": .string(EventText.timestamp(record.lastSeenMilliseconds)), "Label": .string(label),
        ])
    }

    /// Posts one request per event.
    public func send(_ notifications: [KubernetesEventNotification]) async throws {
        for notification in notifications {
            let body =
                try template?.execute(data: Self.data(notification.record, label: label), functions: TemplateFunctions())
                ?? EventText.json(notification.record)
            try await poster.post(Array(body.utf8), to: url, contentType: contentType, headers: headers)
        }
    }
}
