import Testing
import VigilLogQL
import VigilModel

@Suite struct ParserTests {
    @Test(arguments: [
        (#"{app="api"}"#, #"{app="api"}"#),
        (#"{app="api",env!="dev", pod=~"api-.*", ns!~"kube-.+"}"#, #"{app="api", env!="dev", pod=~"api-.*", ns!~"kube-.+"}"#),
        (#"{app="api"} |= "err" != `debug` |~ "(?i)timeout" !~ "x+""#, #"{app="api"} |= "err" != "debug" |~ "(?i)timeout" !~ "x+""#),
        (#"{app="api"} |= "a" or "b""#, #"{app="api"} |= "a" or "b""#),
        (#"{app="api"} |= ip("10.0.0.0/8")"#, #"{app="api"} |= ip("10.0.0.0/8")"#),
        (#"{app="api"} | json"#, #"{app="api"} | json"#),
        (#"{app="api"} | json first="servers[0]", ua="request.headers[\"User-Agent\"]""#,
         #"{app="api"} | json first="servers[0]", ua="request.headers[\"User-Agent\"]""#),
        (#"{app="api"} | logfmt --strict --keep-empty"#, #"{app="api"} | logfmt --strict --keep-empty"#),
        (#"{app="api"} | regexp "(?P<method>\\w+) (?P<path>\\S+)""#, #"{app="api"} | regexp "(?P<method>\\w+) (?P<path>\\S+)""#),
        (#"{app="api"} | pattern "<ip> - <_> <status>""#, #"{app="api"} | pattern "<ip> - <_> <status>""#),
        (#"{app="api"} | unpack | decolorize"#, #"{app="api"} | unpack | decolorize"#),
        (#"{app="api"} | status >= 400 and method =~ "GET|POST" or duration > 1.5s"#,
         #"{app="api"} | ((status>=400 and method=~"GET|POST") or duration>1.5s)"#),
        (#"{app="api"} | status >= 400, size < 10KB"#, #"{app="api"} | (status>=400 and size<10KB)"#),
        (#"{app="api"} | line_format "{{.a}} {{__line__}}" | label_format b=a, c="{{.d}}""#,
         #"{app="api"} | line_format "{{.a}} {{__line__}}" | label_format b=a, c="{{.d}}""#),
        (#"{app="api"} | drop a, b="c" | keep d, e=~"f.*""#, #"{app="api"} | drop a, b="c" | keep d, e=~"f.*""#),
    ])
    func canonicalForm(query: String, expected: String) throws {
        #expect(try LogQLParser.parse(query).description == expected)
    }

    @Test(arguments: [
        (#"count_over_time({app="api"}[5m])"#, #"count_over_time({app="api"} [5m])"#),
        (#"rate({app="api"} |= "err" [1m] offset 1h)"#, #"rate({app="api"} |= "err" [1m] offset 1h)"#),
        (#"sum by (status) (count_over_time({job="ingress"} | json [5m]))"#,
         #"sum by (status) (count_over_time({job="ingress"} | json [5m]))"#),
        (#"sum(rate({a="b"}[5m])) without (pod)"#, #"sum without (pod) (rate({a="b"} [5m]))"#),
        (#"quantile_over_time(0.99, {a="b"} | logfmt | unwrap duration(took) | __error__="" [5m]) by (path)"#,
         #"quantile_over_time(0.99, {a="b"} | logfmt | unwrap duration(took) | __error__="" [5m]) by (path)"#),
        (#"topk(3, sum by (path) (rate({a="b"}[1m])))"#, #"topk(3, sum by (path) (rate({a="b"} [1m])))"#),
        (#"sum(rate({a="b"}[1m])) / sum(rate({a="c"}[1m])) * 100"#,
         #"((sum(rate({a="b"} [1m])) / sum(rate({a="c"} [1m]))) * 100)"#),
        (#"2 ^ 3 ^ 2"#, #"(2 ^ (3 ^ 2))"#),
        (#"rate({a="b"}[1m]) > bool on (x) group_left (y) rate({a="c"}[1m])"#,
         #"(rate({a="b"} [1m]) > bool on (x) group_left (y) rate({a="c"} [1m]))"#),
        (#"label_replace(rate({a="b"}[1m]), "dst", "$1", "src", "(.*)")"#,
         #"label_replace(rate({a="b"} [1m]), "dst", "$1", "src", "(.*)")"#),
        (#"count_over_time({a="b"}[5m] | json)"#, #"count_over_time({a="b"} | json [5m])"#),
        (#"count_over_time(({a="b"} | json)[5m])"#, #"count_over_time({a="b"} | json [5m])"#),
        (#"vector(1) + 1"#, #"(vector(1) + 1)"#),
        ("sum(count_over_time({a=\"b\"}[5m])) # a comment", #"sum(count_over_time({a="b"} [5m]))"#),
    ])
    func metricCanonicalForm(query: String, expected: String) throws {
        #expect(try LogQLParser.parse(query).description == expected)
    }

    @Test func canonicalFormParsesToItself() throws {
        let queries = [
            #"sum by (status) (count_over_time({job="ingress"} | json | status >= 500 [5m]))"#,
            #"{app="api"} | logfmt | level="error" or duration > 10s | line_format "{{.msg}}""#,
            #"max_over_time({a="b"} | unwrap bytes(size) [5m]) by (x)"#,
        ]
        for query in queries {
            let once = try LogQLParser.parse(query)
            #expect(try LogQLParser.parse(once.description) == once)
        }
    }

    @Test(arguments: [
        (#"{app="api"} |= "x" |"#, "parse error at line 1, col 21: syntax error: unexpected $end"),
        (#"{app="api"} | foo"#, "parse error at line 1, col 18: syntax error: unexpected $end"),
        (#"{app="api""#, "parse error at line 1, col 11: syntax error: unexpected $end, expecting }"),
        (#"{}"#, "parse error at line 1, col 2: syntax error: unexpected }, expecting IDENTIFIER"),
        ("{app=\"api\"}\n  |= 42", "parse error at line 2, col 6: syntax error: unexpected NUMBER, expecting STRING"),
        (#"{app="ä"} |= "x" § "#, "parse error at line 1, col 18: syntax error: unexpected character: '§'"),
        (#"{app="api"} |= "unterminated"#, "parse error at line 1, col 16: literal not terminated"),
        (#"rate({app="api"})"#, "parse error at line 1, col 17: syntax error: unexpected ), expecting ["),
        (#"{app=~".*"}"#, #"parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will"#),
        (#"sum_over_time({a="b"}[5m])"#, "parse error : invalid aggregation sum_over_time without unwrap"),
        (#"count_over_time({a="b"} | unwrap x [5m])"#, "parse error : invalid aggregation count_over_time with unwrap"),
        (#"count_over_time({a="b"}[5m]) by (x)"#, "parse error : grouping not allowed for count_over_time aggregation"),
        (#"1 > 2"#, "parse error at line 1, col 3: comparisons between scalars must use BOOL modifier"),
        (#"{a=~"(?=x)"}"#, nil),
        (#"{a="b"} | regexp "(\\w+)""#, nil),
        (#"{a="b"} | pattern "<a><b>""#, nil),
        (#"{a="b"} | line_format "{{.a""#, nil),
        (#"{a="b"} | line_format "{{ nosuchfunc .a }}""#, nil),
    ] as [(String, String?)])
    func errorsNamePositions(query: String, expected: String?) {
        do {
            let parsed = try LogQLParser.parse(query)
            Issue.record("parsed \(query) as \(parsed)")
        } catch {
            if let expected {
                #expect(error.description == expected)
            } else {
                #expect(error.line == 1 && error.column > 1, "\(error)")
            }
        }
    }

    @Test func columnsCountCharactersNotBytes() {
        do {
            _ = try LogQLParser.parse(#"{app="日本語"} |= 7"#)
            Issue.record("parsed")
        } catch {
            #expect(error.column == 16)
            #expect(error.offset == 21) // 日本語 is 9 bytes, 3 columns
        }
    }

    @Test func durationsAndBytes() throws {
        let parsed = try LogQLParser.parse(#"{a="b"} | d > 1h30m and d < 500ms and s >= 1.5MiB and n != -3"#)
        guard case .logs(let selector) = parsed, case .labelFilter(let filter) = selector.stages[0] else {
            Issue.record("not a label filter")
            return
        }
        #expect(filter.description == "(((d>1h30m0s and d<500ms) and s>=1.5MiB) and n!=-3)")
    }

    @Test func logQueryIsNotMetric() throws {
        #expect(throws: LogQLParseError.self) { try LogQLParser.parseLogSelector(#"rate({a="b"}[1m])"#) }
        #expect(try LogQLParser.parseLogSelector(#"{a="b"} |= "x""#).stages.count == 1)
    }
}
