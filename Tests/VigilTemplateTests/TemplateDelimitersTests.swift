import Testing
import VigilTemplate

/// Go's `Delims`: prometheus-adapter's `<<`/`>>` leave PromQL's braces as text.
struct TemplateDelimitersTests {
    @Test func angleDelimitersWithTrimming() throws {
        let delimiters = TemplateDelimiters(left: "<<", right: ">>")
        let template = try Template.parse(
            "sum(<<.S>>{<<.M>>}) by (<<- range $i, $l := .G >><<if $i>>,<<end>><<$l>><<- end >>)", name: "q",
            functionNames: TemplateFunctions().names, delimiters: delimiters)
        let text = try template.execute(
            data: .record(["S": .string("up"), "M": .string(#"job="a""#), "G": .list([.string("pod"), .string("ns")])]),
            functions: TemplateFunctions())
        #expect(text == #"sum(up{job="a"}) by (pod,ns)"#)
        // `{{` is text under other delimiters, and an unclosed `<<` is an error naming the line.
        let braces = try Template.parse("{{.S}}", name: "q", functionNames: [], delimiters: delimiters)
        #expect(try braces.execute(data: .record([:]), functions: TemplateFunctions()) == "{{.S}}")
        #expect(throws: TemplateError.self) {
            try Template.parse("a\n<<.S", name: "q", functionNames: [], delimiters: delimiters)
        }
    }
}
