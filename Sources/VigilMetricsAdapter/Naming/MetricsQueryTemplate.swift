import VigilTemplate

/// A `metricsQuery` (or resource-rule query) template: Go's text/template with `<<`/`>>`
/// delimiters, run with the adapter's `queryTemplateArgs` as `.`.
struct MetricsQueryTemplate: Sendable {
    private let template: Template

    /// What `.` holds: `Series`, `LabelMatchers`, `LabelValuesByName`, `GroupBy`, `GroupBySlice`.
    struct Arguments {
        var series: String
        var labelMatchers: String
        var labelValuesByName: [String: String]
        var groupBy: String
        var groupBySlice: [String]

        var value: TemplateValue {
            .record([
                "Series": .string(series),
                "LabelMatchers": .string(labelMatchers),
                "LabelValuesByName": .map(labelValuesByName),
                "GroupBy": .string(groupBy),
                "GroupBySlice": .list(groupBySlice.map(TemplateValue.string)),
            ])
        }
    }

    static let delimiters = TemplateDelimiters(left: "<<", right: ">>")

    /// Parses `text` as the adapter does (`template.New("metrics-query").Delims("<<", ">>")`).
    init(_ text: String) throws(TemplateError) {
        template = try Template.parse(
            text, name: "metrics-query", functionNames: TemplateFunctions().names, delimiters: Self.delimiters)
    }

    /// The query for `arguments`; an empty result is an error, as in the adapter.
    func render(_ arguments: Arguments) throws(MetricsAdapterError) -> String {
        let query: String
        do {
            query = try template.execute(data: arguments.value, functions: TemplateFunctions())
        } catch {
            throw MetricsAdapterError("\(error)")
        }
        guard !query.isEmpty else { throw MetricsAdapterError("empty query produced by metrics query template") }
        return query
    }
}
