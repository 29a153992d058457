import Testing
import VigilModel
import VigilTestSupport
@testable import VigilAlertmanager

@Suite("Alertmanager matcher syntax")
struct AlertMatchersTests {
    private func render(_ text: String) throws -> String {
        try AlertMatchers.parse(text).alertmanagerDescription
    }

    @Test("all four operators, with and without braces, quotes and spaces")
    func operators() throws {
        #expect(try render(#"{foo="bar"}"#) == #"{foo="bar"}"#)
        #expect(try render(#"foo=bar"#) == #"{foo="bar"}"#)
        #expect(try render(#"  foo  !=  bar  "#) == #"{foo!="bar"}"#)
        #expect(try render(#"foo=~"a|b",bar!~c.*"#) == #"{foo=~"a|b",bar!~"c.*"}"#)
        #expect(try render(#"{a="1", b=~"2", c!="3", d!~"4"}"#) == #"{a="1",b=~"2",c!="3",d!~"4"}"#)
        #expect(try render("") == "{}")
        #expect(try render("{}") == "{}")
        #expect(try render("foo=") == #"{foo=""}"#)
        #expect(try render("foo=~") == #"{foo=~""}"#)
        #expect(try render("a:b_c=x") == #"{a:b_c="x"}"#)
        // Printing escapes only backslash, quote and newline, as Alertmanager's Matcher.String.
        #expect(try render("foo=\"a\tb\\\\c\\nd\"") == "{foo=\"a\tb\\\\c\\nd\"}")
    }

    @Test("escapes: \\\" \\\\ \\n are unescaped, other backslashes kept, commas inside quotes kept")
    func escapes() throws {
        let matchers = try AlertMatchers.parse(#"foo="a\"b\\c\nd\e", bar="x,y""#)
        #expect(matchers.count == 2)
        #expect(matchers[0].value == "a\"b\\c\nd\\e")
        #expect(matchers[1].value == "x,y")
        #expect(try AlertMatchers.parseMatcher(#"foo=bar\"#).value == "bar\\")
        #expect(try AlertMatchers.parseMatcher(#"foo="with space""#).value == "with space")
    }

    @Test("regexes are fully anchored")
    func anchoring() throws {
        let matcher = try AlertMatchers.parseMatcher("job=~node")
        #expect(matcher.matches("node"))
        #expect(!matcher.matches("node_exporter"))
        #expect(!matcher.matches("my-node"))
        let negative = try AlertMatchers.parseMatcher("job!~nod.")
        #expect(!negative.matches("node"))
        #expect(negative.matches("nodes"))
    }

    @Test("RE2's rules: no lookaround, backreferences or counts over 1000; one-letter Unicode classes")
    func re2() throws {
        func message(_ text: String) -> String? {
            do {
                _ = try AlertMatchers.parseMatcher(text)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(message(#"a=~"(?=x)""#) == "error parsing regexp: invalid or unsupported Perl syntax: `(?=`")
        #expect(message(#"a=~"(?<!x)y""#) == "error parsing regexp: invalid or unsupported Perl syntax: `(?<!`")
        #expect(message(#"a=~"(x)\1""#) == #"error parsing regexp: invalid escape sequence: `\1`"#)
        #expect(message(#"a=~"x{1001}""#) == "error parsing regexp: invalid repeat count: `{1001}`")
        #expect(message(#"a=~"x{2,1000}""#) == nil)
        #expect(message(#"a=~"[(?=]\(?!""#) == nil)
        #expect(message(#"a="(?=x)""#) == nil)
        let letters = try AlertMatchers.parseMatcher(#"a=~"\pL+""#)
        #expect(letters.matches("été"))
        #expect(!letters.matches("42"))
        #expect(letters.value == #"\pL+"#)
    }

    @Test("errors carry Alertmanager's message and the offending matcher's offset")
    func errors() {
        func failure(_ text: String) -> MatcherParseError? {
            do {
                _ = try AlertMatchers.parse(text)
                return nil
            } catch {
                return error
            }
        }
        #expect(failure("foo")?.message == "bad matcher format: foo")
        #expect(failure("a=b,,c=d")?.message == "bad matcher format: ")
        #expect(failure("a=b,,c=d")?.offset == 4)
        #expect(failure(#"a=b, c="d"#)?.message == #"matcher value contains unescaped double quote: "d"#)
        #expect(failure(#"a=b, c="d"#)?.offset == 4)
        #expect(failure(#"a="b"c""#)?.message == #"matcher value contains unescaped double quote: "b"c""#)
        #expect(failure("1a=b")?.message == "bad matcher format: 1a=b")
        #expect(failure("a==b") == nil)
        #expect(failure(#"a=~"(""#) != nil)
    }

    @Test("random and mutated input never traps: it parses or throws")
    func fuzz() {
        var random = SplitMix64(seed: 0x5EED)
        let alphabet: [Character] = Array("ab_:Z09 =!~{},.*()[]|^$") + ["\"", "\\", "\n", "\t", "é", "\u{0}"]
        let seeds = [#"{foo="bar",baz=~"q.*"}"#, #"a!="x\"y""#, "job!~node,instance=a:1", #"{a=b\,c="d,e"}"#]
        var parsed = 0
        for round in 0..<4000 {
            var characters: [Character]
            if round % 2 == 0 {
                let length = Int(random.next() % 24)
                characters = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            } else {
                characters = Array(seeds[round % seeds.count])
                for _ in 0..<(1 + Int(random.next() % 4)) where !characters.isEmpty {
                    let position = Int(random.next() % UInt64(characters.count))
                    switch random.next() % 3 {
                    case 0: characters.remove(at: position)
                    case 1: characters.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                    default: characters[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                    }
                }
            }
            if let matchers = try? AlertMatchers.parse(String(characters)) {
                parsed += 1
                // Whatever parses prints back into something that parses to the same matchers.
                let again = try? AlertMatchers.parse(matchers.alertmanagerDescription)
                #expect(again == matchers, "round trip of \(String(characters).debugDescription)")
            }
        }
        #expect(parsed > 100)
    }
}
