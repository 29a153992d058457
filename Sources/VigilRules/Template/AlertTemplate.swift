public import VigilModel
public import VigilTemplate

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

    /// A template text prepared once for repeated expansion: parsed with Prometheus's
    /// declarations in front, or kept as plain text when it holds no action.
    public struct Prepared: Sendable {
        let text: String
        let parsed: Result<Template, TemplateError>?

        /// Parses `text` as the template of alert `alertName`.
        public init(_ text: String, alertName: String) {
            self.text = text
            // Most label values and many annotations have no template at all.
            guard text.contains("{{") else {
                parsed = nil
                return
            }
            do {
                parsed = .success(try Template.parse(AlertTemplate.declarations + text, name: "__alert_" + alertName))
            } catch {
                parsed = .failure(error)
            }
        }
    }

    /// Expands `text` for the alert `alertName` with its series `labels` and `value`, at `time` (ms).
    public func expand(_ text: String, alertName: String, labels: Labels, value: Double, time: Int64) -> String {
        expand(Prepared(text, alertName: alertName), labels: labels, value: value, time: time)
    }

    /// Expands a prepared template for an alert with its series `labels` and `value`, at `time` (ms).
    public func expand(_ prepared: Prepared, labels: Labels, value: Double, time: Int64) -> String {
        guard let parsed = prepared.parsed else { return prepared.text }
        let template: Template
        switch parsed {
        case .success(let success): template = success
        case .failure(let error): return "<error expanding template: \(error.description)>"
        }
        let data = TemplateValue.record([
            "Labels": .map(labels.dictionary), "ExternalLabels": .map(externalLabels),
            "ExternalURL": .string(externalURL), "Value": .float(value),
        ])
        do {
            return try template.execute(
                data: data, functions: TemplateFunctions(time: time, externalURL: externalURL, query: query))
        } catch {
            return "<error expanding template: error executing template \(template.name): \(error.description)>"
        }
    }
}
