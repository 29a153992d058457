import Testing
import VigilModel
@testable import VigilRules
import VigilTemplate

@Suite("Alert templates")
struct AlertTemplateTests {
    private func run(_ text: String, data: TemplateValue = .null, time: Int64 = 0) throws -> String {
        let template = try Template.parse(text, name: "test")
        return try template.execute(data: data, functions: TemplateFunctions(time: time))
    }

    private func floats(_ values: [Double]) -> TemplateValue { .list(values.map { .float($0) }) }

    @Test("humanize and friends print what Prometheus prints (template_test.go cases)")
    func humanizeFunctions() throws {
        let humanize = try run("{{ range . }}{{ humanize . }}:{{ end }}", data: floats([0, 1, 1_234_567, 0.12]))
        #expect(humanize == "0:1:1.235M:120m:")
        let small = try run("{{ range . }}{{ humanize . }}:{{ end }}", data: floats([0.1, 0.0001, 0.12345, 60_000_000]))
        #expect(small == "100m:100u:123.5m:60M:")
        let binary = try run("{{ range . }}{{ humanize1024 . }}:{{ end }}", data: floats([0, 1, 1_048_576, 0.12]))
        #expect(binary == "0:1:1Mi:0.12:")
        let durations = try run(
            "{{ range . }}{{ humanizeDuration . }}:{{ end }}",
            data: floats([0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99]))
        #expect(durations == "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:")
        let shortDurations = try run(
            "{{ range . }}{{ humanizeDuration . }}:{{ end }}", data: floats([0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345]))
        #expect(shortDurations == "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:")
        let percentages = try run(
            "{{ range . }}{{ humanizePercentage . }}:{{ end }}", data: floats([0, 0.1234567, 1, 1.234567]))
        #expect(percentages == "0%:12.35%:100%:123.5%:")
        let timestamp = try run("{{ humanizeTimestamp 1435065584.128 }}")
        #expect(timestamp == "2015-06-23 13:19:44.128 +0000 UTC")
        let whole = try run("{{ 1435065584 | humanizeTimestamp }}")
        #expect(whole == "2015-06-23 13:19:44 +0000 UTC")
        let fromString = try run(#"{{ "1048576" | humanize1024 }} {{ "NaN" | humanize }} {{ humanize "+Inf" }}"#)
        #expect(fromString == "1Mi NaN +Inf")
    }

    @Test("alert variables and fields: $labels, .Labels, $value, $externalLabels, $externalURL")
    func alertVariables() {
        let template = AlertTemplate(externalLabels: ["cluster": "eu1"], externalURL: "http://vigil.example:9470/prefix")
        let labels: Labels = ["__name__": "up", "instance": "a:9100", "job": "node"]
        let text = template.expand(
            "{{ $labels.instance }} {{ .Labels.job }} {{ $value }} {{ .Value | humanize }} {{ $externalLabels.cluster }} {{ $externalURL }} {{ $labels.missing }}.",
            alertName: "Down", labels: labels, value: 1234.5, time: 0)
        #expect(text == "a:9100 node 1234.5 1.234k eu1 http://vigil.example:9470/prefix .")
        let path = template.expand("{{ pathPrefix }}|{{ externalURL }}", alertName: "Down", labels: labels, value: 0, time: 0)
        #expect(path == "/prefix|http://vigil.example:9470/prefix")
        let plain = template.expand("no templates here", alertName: "Down", labels: labels, value: 0, time: 0)
        #expect(plain == "no templates here")
    }

    @Test("printf and string functions")
    func stringFunctions() throws {
        #expect(try run(#"{{ printf "%0.2f" 1.23456 }}|{{ printf "%d items, %s" 3 "ok" }}|{{ printf "%5.1f%%" 12.345 }}"#) == "1.23|3 items, ok| 12.3%")
        #expect(try run(#"{{ printf "%q %v %x" "a\"b" 2.5 255 }}"#) == #""a\"b" 2.5 ff"#)
        #expect(try run(#"{{ printf "%d" "text" }}"#) == "%!d(string=text)")
        #expect(try run(#"{{ title "aa bb CC" }} {{ toUpper "abc" }} {{ toLower "ABC" }}"#) == "Aa Bb CC ABC abc")
        #expect(try run(#"{{ reReplaceAll "(a)b" "x$1" "abab" }} {{ match "a+" "baaa" }} {{ match "^z" "a" }}"#) == "xaxa true false")
        #expect(try run(#"{{ "host.example.com:9100" | stripPort }} {{ stripDomain "host.example.com:9100" }}"#) == "host.example.com host:9100")
        #expect(try run(#"{{ (args 1 "two").arg1 }}{{ safeHtml "<b>" }}{{ html "<b>" }} {{ args 1 "x" }}"#) == "two<b>&lt;b&gt; map[arg0:1 arg1:x]")
        #expect(try run(#"{{ parseDuration "1m30s" }}"#) == "90")
    }

    @Test("query, first, value, label, sortByLabel")
    func queryFunctions() throws {
        let query: TemplateFunctions.QueryFunction = { text, time in
            guard text == "up" else { return [] }
            return [
                (labels: ["__name__": "up", "instance": "b"], value: 0),
                (labels: ["__name__": "up", "instance": "a"], value: Double(time) / 1000),
            ]
        }
        let functions = TemplateFunctions(time: 5000, query: query)
        func run(_ text: String) throws -> String {
            try Template.parse(text, name: "q").execute(data: .null, functions: functions)
        }
        #expect(try run(#"{{ query "up" | first | value }}"#) == "0")
        #expect(try run(#"{{ with query "up" }}{{ . | first | label "instance" }}{{ end }}"#) == "b")
        #expect(try run(#"{{ range query "up" | sortByLabel "instance" }}{{ .Labels.instance }}={{ .Value }} {{ end }}"#) == "a=5 b=0 ")
        #expect(try run(#"{{ with query "none" }}x{{ else }}none{{ end }}"#) == "none")
        let failure = #"{{ query "none" | first }}"#
        #expect(throws: TemplateError.self) { try run(failure) }
    }

    @Test("errors: parse errors name the line; a failing alert template expands to the error text")
    func errors() {
        let unknown = #"{{ nosuch "x" }}"#
        let parseError = #expect(throws: TemplateError.self) { try Template.parse(unknown, name: "__alert_A") }
        #expect(parseError?.description == #"template: __alert_A:1: function "nosuch" not defined"#)
        let unclosed = "line one\n{{ if true }}x"
        let eof = #expect(throws: TemplateError.self) { try Template.parse(unclosed, name: "t") }
        #expect(eof?.line == 2)
        let expanded = AlertTemplate().expand(
            "{{ humanize \"abc\" }}", alertName: "A", labels: .empty, value: 0, time: 0)
        // As Prometheus 2.42's promtool prints it (column counted after the declarations Prometheus prepends).
        #expect(expanded == #"<error expanding template: error executing template __alert_A: template: __alert_A:1:115: executing "__alert_A" at <humanize "abc">: error calling humanize: strconv.ParseFloat: parsing "abc": invalid syntax>"#)
        let nested = AlertTemplate().expand(
            "line one\n  {{ $value | printf \"%.1f\" }} {{ first (query \"x\") }}", alertName: "B", labels: .empty, value: 1, time: 0)
        #expect(nested == #"<error expanding template: error executing template __alert_B: template: __alert_B:2:41: executing "__alert_B" at <query "x">: error calling query: queries are not available here>"#)
    }
}
