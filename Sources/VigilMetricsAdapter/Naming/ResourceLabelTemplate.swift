import VigilModel
import VigilTemplate

/// `resources.template`: a Go template over a group and resource (`kube_<<.Group>>_<<.Resource>>`)
/// giving the label that names such objects, read backwards to find the resource a label names.
struct ResourceLabelTemplate: Sendable {
    private let template: Template
    /// The template run with `(?P<group>.+?)` and `(?P<resource>.+?)`, anchored: the adapter's
    /// `labelGroupResExtractor`.
    private let extractor: GoRegex

    struct Failure: Error {
        let message: String
    }

    init(_ text: String) throws(Failure) {
        do {
            template = try Template.parse(
                text, name: "resource-label", functionNames: TemplateFunctions().names,
                delimiters: MetricsQueryTemplate.delimiters)
        } catch {
            throw Failure(message: "unable to parse label template \(GoQuote.quote(text)): \(error)")
        }
        let pattern: String
        do {
            pattern = try template.execute(
                data: Self.data(group: "(?P<group>.+?)", resource: "(?P<resource>.+?)"), functions: TemplateFunctions())
        } catch {
            throw Failure(message: "unable to generate label format from template \(GoQuote.quote(text)): \(error)")
        }
        guard !pattern.isEmpty else {
            throw Failure(message: "unable to generate label format from template \(GoQuote.quote(text)): empty template")
        }
        guard pattern.contains("(?P<resource>") else {
            throw Failure(
                message: "unable to generate label format from template \(GoQuote.quote(text)): must include at least `{{.Resource}}` in the label template")
        }
        guard let extractor = GoRegex("^" + pattern + "$") else {
            throw Failure(message: "unable to generate label format from template \(GoQuote.quote(text)): invalid expression")
        }
        self.extractor = extractor
    }

    private static func data(group: String, resource: String) -> TemplateValue {
        .record(["Group": .string(group), "Resource": .string(resource)])
    }

    /// The label for a resource: its group with `.` and `-` made `_`, and its singular name.
    func label(group: String, singular: String) throws(MetricsAdapterError) -> String {
        let sanitized = String(group.map { $0 == "." || $0 == "-" ? "_" : $0 })
        let label: String
        do {
            label = try template.execute(data: Self.data(group: sanitized, resource: singular), functions: TemplateFunctions())
        } catch {
            throw MetricsAdapterError("\(error)")
        }
        guard !label.isEmpty else { throw MetricsAdapterError("empty label produced by label template") }
        return label
    }

    /// The group and resource a label names, as written in it; nil when the label does not fit.
    func groupResource(forLabel label: String) -> GroupResource? {
        guard let groups = extractor.firstMatchGroups(in: label), let resource = groups["resource"] else { return nil }
        return GroupResource(group: groups["group"] ?? "", resource: resource)
    }
}
