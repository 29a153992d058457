import Testing
import VigilTemplate

@Suite("Template engine")
struct TemplateEngineTests {
    private func run(_ text: String, data: TemplateValue = .null, functions: TemplateFunctions = TemplateFunctions()) throws -> String {
        let template = try Template.parse(text, name: "test", functionNames: functions.names)
        return try template.execute(data: data, functions: functions)
    }

    @Test("control structures: if/else if/else, range with variables, with, trimming, comments")
    func controlStructures() throws {
        let data = TemplateValue.record(["Labels": .map(["a": "1", "b": "2"]), "Value": .float(3)])
        #expect(try run("{{ if gt .Value 2.0 }}big{{ else if gt .Value 1.0 }}mid{{ else }}small{{ end }}", data: data) == "big")
        #expect(try run("{{ if eq .Labels.a \"2\" }}x{{ else if eq .Labels.b \"2\" }}y{{ end }}", data: data) == "y")
        #expect(try run("{{ range $k, $v := .Labels }}{{ $k }}={{ $v }};{{ end }}", data: data) == "a=1;b=2;")
        #expect(try run("{{ range .Labels }}[{{ . }}]{{ end }}", data: data) == "[1][2]")
        #expect(try run("{{ range .Nothing }}x{{ else }}empty{{ end }}", data: .record(["Nothing": .list([])])) == "empty")
        #expect(try run("{{ with .Labels.c }}has c{{ else }}no c{{ end }}", data: data) == "no c")
        #expect(try run("{{ with .Labels.a }}a is {{ . }}{{ end }}", data: data) == "a is 1")
        #expect(try run("a  {{- /* comment */ -}}  b\n{{- \" c\" }}") == "ab c")
        #expect(try run("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}") == "2")
        #expect(try run("{{ and 1 0 }} {{ or 0 \"\" \"z\" }} {{ not false }} {{ len \"abc\" }}") == "0 z true 3")
    }

    @Test("define, template and block; later definitions replace earlier ones; empty ones do not")
    func definitions() throws {
        var set = TemplateSet(functions: TemplateFunctions())
        try set.parse(#"{{ define "greet" }}hello {{ . }}{{ end }}{{ define "outer" }}[{{ template "greet" .Name }}]{{ end }}"#, name: "defaults")
        let data = TemplateValue.record(["Name": .string("vigil")])
        #expect(try set.execute("outer", data: data) == "[hello vigil]")
        #expect(try set.executeText(#"{{ template "outer" . }}!"#, data: data) == "[hello vigil]!")
        try set.parse(#"{{ define "greet" }}hi {{ . }}{{ end }}{{ define "outer" }}  {{ end }}"#, name: "user")
        #expect(try set.execute("outer", data: data) == "[hi vigil]")
        #expect(try set.executeText(#"{{ block "missing" . }}default {{ .Name }}{{ end }}"#, data: data) == "default vigil")
        #expect(try set.executeText(#"{{ template "greet" }}"#, data: data) == "hi <no value>")
        let unknown = #expect(throws: TemplateError.self) { try set.executeText(#"{{ template "nope" . }}"#, data: data) }
        #expect(unknown?.description.contains("no template \"nope\"") == true)
        let twice = #expect(throws: TemplateError.self) {
            try Template.parse(#"{{ define "a" }}x{{ end }}{{ define "a" }}y{{ end }}"#, name: "t", functionNames: [])
        }
        #expect(twice?.message == "template: multiple definition of template \"a\"")
        let nested = #expect(throws: TemplateError.self) {
            try Template.parse("{{ if true }}{{ define \"a\" }}x{{ end }}{{ end }}", name: "t", functionNames: [])
        }
        #expect(nested?.line == 1)
        let recursive = #expect(throws: TemplateError.self) {
            var looping = TemplateSet(functions: TemplateFunctions())
            try looping.parse(#"{{ define "loop" }}{{ template "loop" . }}{{ end }}"#, name: "l")
            _ = try looping.execute("loop", data: .null)
        }
        #expect(recursive?.message.contains("maximum template depth") == true)
    }

    @Test("methods of named types, with and without arguments; objects print with their String()")
    func methods() throws {
        var functions = TemplateFunctions()
        functions.register(method: "Keys", of: "test.Map") { receiver, _ in
            guard case .map(let map) = receiver.underlying else { return .null }
            return .list(map.keys.sorted().map { .string($0) })
        }
        functions.register(method: "Without", of: "test.Map") { receiver, arguments in
            guard case .map(var map) = receiver.underlying, case .string(let key)? = arguments.first else { return .null }
            map[key] = nil
            return .object(TemplateObject(typeName: "test.Map", value: .map(map), text: "custom"))
        }
        let object = TemplateValue.object(TemplateObject(typeName: "test.Map", value: .map(["a": "1", "b": "2"]), text: "a=1, b=2"))
        let data = TemplateValue.record(["M": object])
        #expect(try run("{{ .M }}|{{ .M.a }}|{{ len .M }}|{{ index .M \"b\" }}", data: data, functions: functions) == "a=1, b=2|1|2|2")
        #expect(try run("{{ range .M.Keys }}{{ . }};{{ end }}", data: data, functions: functions) == "a;b;")
        #expect(try run(#"{{ (.M.Without "a").Keys }}|{{ .M.Without "b" }}"#, data: data, functions: functions) == "[b]|custom")
        #expect(try run(#"{{ "a" | .M.Without }}"#, data: data, functions: functions) == "custom")
        let notMethod = #expect(throws: TemplateError.self) { try run(#"{{ .M.a "x" }}"#, data: data, functions: functions) }
        #expect(notMethod?.message.contains("can't give argument to non-function") == true)
    }

    @Test("registered functions: errors are reported as Go reports them")
    func registeredFunctions() throws {
        var functions = TemplateFunctions()
        functions.register("double") { arguments in
            try TemplateFunctions.arity("double", arguments, 1)
            return .int(Int(try TemplateFunctions.float(arguments[0])) * 2)
        }
        functions.register("fail") { _ in throw TemplateFunctionError("boom") }
        #expect(try run("{{ double 21 }} {{ 4 | double }}", functions: functions) == "42 8")
        let arity = #expect(throws: TemplateError.self) { try run("{{ double 1 2 }}", functions: functions) }
        #expect(arity?.message == "wrong number of args for double: want 1 got 2")
        let failure = #expect(throws: TemplateError.self) { try run("{{ fail }}", functions: functions) }
        #expect(failure?.message == "error calling fail: boom")
        let unknown = #expect(throws: TemplateError.self) { try run("{{ double 1 }}") }
        #expect(unknown?.message == "function \"double\" not defined")
    }
}
