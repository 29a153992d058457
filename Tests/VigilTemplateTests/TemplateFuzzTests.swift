import Testing
import VigilTemplate

/// Random and mutated template texts never crash the parser or the executor: each either works or
/// fails with a ``TemplateError`` that names a line inside the text.
@Suite("Template fuzzing")
struct TemplateFuzzTests {
    /// SplitMix64, so every run tries the same inputs.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds = [
        #"{{ define "a" }}x{{ .Name | printf "%s" }}{{ end }}{{ template "a" . }}"#,
        #"{{ range $i, $v := .List }}{{ if eq $i 0 }}first{{ else if gt $i 1 }}{{ $v }}{{ else }}-{{ end }}{{ end }}"#,
        #"{{- with .Name -}} {{ . }} {{- end }}{{ block "b" . }}{{ len .List }}{{ end }}"#,
        #"{{ $x := 1 }}{{ $x = (and 1 "a") }}{{ index .Map "k" }}{{/* c */}}{{ printf "%q %d" `raw` 3 }}"#,
        "line1\nline2 {{ .Name }}\n{{ if .List }}\n{{ range .List }}{{ . }}\n{{ end }}{{ end }}",
    ]

    static let fragments = [
        "{{", "}}", "{{-", "-}}", "{{ end }}", "{{ else }}", "{{ if", "{{ range", "{{ with", "{{ define \"", "{{ template \"",
        "{{ block \"", "\"", "`", "(", ")", "|", "$", ":=", "=", ".", ".Name", "/*", "*/", "\n", "printf", "len", "0x",
        "1e", "'", "\\", "é", " ",
    ]

    static let data = TemplateValue.record([
        "Name": .string("vigil"), "List": .list([.int(1), .int(2), .int(3)]), "Map": .map(["k": "v"]),
    ])

    private func check(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        var set = TemplateSet(functions: TemplateFunctions())
        do {
            try set.parse(text, name: "fuzz")
        } catch {
            #expect(error.line >= 1 && error.line <= lines, "line \(error.line) outside 1...\(lines) for \(text.debugDescription)")
            return
        }
        for name in set.names {
            do {
                _ = try set.execute(name, data: Self.data)
            } catch {
                #expect(error.line >= 0 && error.line <= lines, "line \(error.line) for \(text.debugDescription)")
            }
        }
    }

    @Test("mutations of valid templates")
    func mutations() {
        var generator = Generator(state: 42)
        for _ in 0..<3000 {
            var scalars = Array(Self.seeds.randomElement(using: &generator)!.unicodeScalars)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0...scalars.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0 where !scalars.isEmpty:
                    scalars.remove(at: min(position, scalars.count - 1))
                case 1:
                    scalars.insert(contentsOf: Self.fragments.randomElement(using: &generator)!.unicodeScalars, at: position)
                default:
                    let cut = Int.random(in: position...scalars.count, using: &generator)
                    scalars.removeSubrange(position..<cut)
                }
            }
            check(String(String.UnicodeScalarView(scalars)))
        }
    }

    @Test("random fragment soup")
    func soup() {
        var generator = Generator(state: 7)
        for _ in 0..<3000 {
            let count = Int.random(in: 0...20, using: &generator)
            let text = (0..<count).map { _ in Self.fragments.randomElement(using: &generator)! }.joined()
            check(text)
        }
    }
}
