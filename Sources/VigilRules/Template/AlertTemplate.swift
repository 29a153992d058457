public import VigilModel

/// Expands an alerting rule's label and annotation templates as Prometheus does: the data is
/// `.Labels`, `.ExternalLabels`, `.ExternalURL` and `.Value`, with `$labels`, `$externalLabels`,
/// `$externalURL` and `$value` predeclared; a template that fails expands to
/// `<error expanding template: …>`.
public struct AlertTemplate: Sendable {
    /// The server's external labels (`global.external_labels`).
    public var externalLabels: [String: String]
    /// `--web.external-url`.
    public var externalURL: String
    /// Runs `query` inside templates; nil makes `query` fail.
    public var query: TemplateFunctions.QueryFunction?

    /// An expander with the server's settings.
    public init(externalLabels: [String: String] = [:], externalURL: String = "", query: TemplateFunctions.QueryFunction? = nil) {
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.query = query
    }

    /// The declarations Prometheus puts in front of every alert template.
    static let declarations =
        "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}"

    /// Expands `text` for the alert `alertName` with its series `labels` and `value`, at `time` (ms).
    public func expand(_ text: String, alertName: String, labels: Labels, value: Double, time: Int64) -> String {
        // Most label values and many annotations have no template at all.
        if !text.contains("{{") { return text }
        let name = "__alert_" + alertName
        let data = TemplateValue.record([
            "Labels": .map(labels.dictionary), "ExternalLabels": .map(externalLabels),
            "ExternalURL": .string(externalURL), "Value": .float(value),
        ])
        do {
            // Prometheus declares the variables in front of the text, so positions in errors match.
            let template = try Template.parse(Self.declarations + text, name: name)
            return try template.execute(
                data: data, functions: TemplateFunctions(time: time, externalURL: externalURL, query: query))
        } catch {
            let detail = error.isExecution ? "error executing template \(name): \(error.description)" : error.description
            return "<error expanding template: \(detail)>"
        }
    }
}
