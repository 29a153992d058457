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

    /// Expands `text` for the alert `alertName` with its series `labels` and `value`, at `time` (ms).
    public func expand(_ text: String, alertName: String, labels: Labels, value: Double, time: Int64) -> String {
        // Most label values and many annotations have no template at all.
        if !text.contains("{{") { return text }
        let name = "__alert_" + alertName
        let labelMap = TemplateValue.map(labels.dictionary)
        let external = TemplateValue.map(externalLabels)
        let data = TemplateValue.record([
            "Labels": labelMap, "ExternalLabels": external, "ExternalURL": .string(externalURL), "Value": .float(value),
        ])
        let variables: [String: TemplateValue] = [
            "$labels": labelMap, "$externalLabels": external, "$externalURL": .string(externalURL), "$value": .float(value),
        ]
        do {
            let template = try Template.parse(text, name: name)
            return try template.execute(
                data: data, variables: variables,
                functions: TemplateFunctions(time: time, externalURL: externalURL, query: query))
        } catch {
            return "<error expanding template: \(error.description)>"
        }
    }
}
