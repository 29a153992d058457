import Testing
import VigilConfig
import VigilModel
@testable import VigilLogs

@Suite struct FieldParserTests {
    func one(_ yaml: String, _ line: String, registry: MetricsRegistry = MetricsRegistry()) throws -> LogRecord {
        let out = ProcessingFixtures.run([line], try ProcessingFixtures.chain(yaml, registry: registry))
        return try #require(out.first)
    }

    @Test func jsonFieldsBecomeMetadataExceptTheLabelFields() throws {
        let record = try one(
            "- {type: json, labels: [level], timestamp: {field: ts, format: rfc3339nano}}",
            #"{"level":"error","msg":"boom \"x\"","code":500,"ok":false,"ctx":{"user":{"id":7}},"tags":["a","b"],"none":null,"ts":"2026-01-01T00:00:00.5Z"}"#)
        #expect(record.label("level") == "error")
        #expect(record.meta("msg") == #"boom "x""#)
        #expect(record.meta("code") == "500")
        #expect(record.meta("ok") == "false")
        #expect(record.meta("ctx_user_id") == "7")
        #expect(record.meta("tags") == #"["a","b"]"#)
        #expect(record.meta("none") == "")
        #expect(record.timestamp == 1_767_225_600_500_000_000)
        #expect(record.label("__error__") == nil)
    }

    @Test func withTargetNoneOnlyTheNamedFieldsAreReadAndBadJSONIsStillCaught() throws {
        let yaml = #"- {type: json, target: none, labels: [level, ctx_user_id, space], timestamp: {field: ts, format: rfc3339nano}}"#
        let record = try one(
            yaml,
            #"{"msg":"skip \"me\"","level":"warn","ctx":{"user":{"id":7},"other":1},"sp\u0061ce":"decoded key","n":[1,{"a":null}],"ts":"2026-01-01T00:00:00.5Z"}"#)
        #expect(record.label("level") == "warn")
        #expect(record.label("ctx_user_id") == "7")
        #expect(record.label("space") == "decoded key")
        #expect(record.metadata.isEmpty)
        #expect(record.labels.count == 3)
        #expect(record.timestamp == 1_767_225_600_500_000_000)
        for broken in [#"{"msg":"unterminated,"level":"x"}"#, "{\"msg\":\"ctl\u{1}\",\"level\":\"x\"}", #"{"msg":"x","level":"x""#, #"{"n":[1,}"#] {
            let failed = try one(yaml, broken)
            #expect(failed.label("__error__") == "JSONParserErr", "\(broken)")
        }
    }

    @Test func aLineThatDoesNotParseIsKeptWithAnErrorLabelAndCounted() throws {
        let registry = MetricsRegistry()
        let record = try one("- {type: json}", "plain text {", registry: registry)
        #expect(record.text == "plain text {")
        #expect(record.label("__error__") == "JSONParserErr")
        #expect(record.meta("__error_details__") != nil)
        let errors = try registry.counter(
            name: "vigil_logs_processor_parse_errors_total", help: "Lines a parser step could not read (kept, labelled __error__).",
            labels: ["input": "t", "parser": "json"])
        #expect(errors.value == 1)
    }

    @Test func logfmtReadsQuotedAndBareValuesIntoLabelsWhenTargeted() throws {
        let record = try one(
            "- {type: logfmt, target: labels}", #"level=warn msg="disk \"sda\" slow" dur=1.5s retry caller.file=x.go:12"#)
        #expect(record.label("level") == "warn")
        #expect(record.label("msg") == #"disk "sda" slow"#)
        #expect(record.label("dur") == "1.5s")
        #expect(record.label("retry") == "")
        #expect(record.label("caller_file") == "x.go:12")
        let bad = try one("- {type: logfmt}", #"a="unterminated"#)
        #expect(bad.label("__error__") == "LogfmtParserErr")
    }

    @Test func regexNamedCapturesBecomeFields() throws {
        let record = try one(
            #"- {type: regex, pattern: '^(?P<ip>\S+) (?P<verb>[A-Z]+) (?P<path>\S+)', labels: [verb]}"#, "10.0.0.1 GET /x?y=1 extra")
        #expect(record.label("verb") == "GET")
        #expect(record.meta("ip") == "10.0.0.1")
        #expect(record.meta("path") == "/x?y=1")
        let miss = try one(#"- {type: regex, pattern: '^(?P<n>\d+)$'}"#, "abc")
        #expect(miss.label("__error__") == "RegexParserErr")
    }

    @Test func nginxCombinedFixture() throws {
        let chain = try ProcessingFixtures.chain(
            "- {type: nginx, labels: [status, method], timestamp: {field: time_local, format: '%d/%b/%Y:%H:%M:%S %z'}}")
        let records = ProcessingFixtures.run(try ProcessingFixtures.lines("parsers/nginx-combined.log"), chain)
        #expect(records.count == 3)
        #expect(records[0].label("status") == "200")
        #expect(records[0].label("method") == "GET")
        #expect(records[0].meta("remote_addr") == "192.168.1.10")
        #expect(records[0].meta("remote_user") == "alice")
        #expect(records[0].meta("path") == "/api/orders?id=42")
        #expect(records[0].meta("http_user_agent") == "Mozilla/5.0 (X11; Linux x86_64)")
        // 27/Nov/2026:10:00:00 +0100 is 09:00:00Z.
        #expect(records[0].timestamp == 1_795_770_000 * 1_000_000_000)
        #expect(records[1].label("status") == "401")
        #expect(records[1].meta("http_referer") == "-")
        #expect(records[2].label("__error__") == "NginxParserErr")
    }

    @Test func ingressNginxFixtureWithRetriedUpstreams() throws {
        let chain = try ProcessingFixtures.chain("- {type: nginx, format: ingress}")
        let records = ProcessingFixtures.run(try ProcessingFixtures.lines("parsers/ingress-nginx.log"), chain)
        #expect(records.count == 2)
        #expect(records[0].meta("proxy_upstream_name") == "default-web-80")
        #expect(records[0].meta("upstream_addr") == "10.244.1.5:8080")
        #expect(records[0].meta("request_time") == "0.001")
        #expect(records[0].meta("req_id") == "4f6c1c1d1b2e3a4b5c6d7e8f90a1b2c3")
        #expect(records[1].meta("proxy_alternative_upstream_name") == "default-api-canary-8080")
        #expect(records[1].meta("upstream_addr") == "10.244.2.9:8080, 10.244.2.10:8080")
        #expect(records[1].meta("upstream_status") == "502, 502")
        #expect(records[1].meta("status") == "502")
        #expect(records.allSatisfy { $0.label("__error__") == nil })
    }

    @Test func kubernetesAuditFixture() throws {
        let chain = try ProcessingFixtures.chain(
            "- {type: kubernetes_audit, labels: [verb], timestamp: {field: stage_timestamp, format: rfc3339}}")
        let records = ProcessingFixtures.run(try ProcessingFixtures.lines("parsers/audit.log"), chain)
        #expect(records.count == 3)
        #expect(records[0].label("verb") == "get")
        #expect(records[0].meta("user") == "system:serviceaccount:shop:api")
        #expect(records[0].meta("resource") == "secrets")
        #expect(records[0].meta("namespace") == "shop")
        #expect(records[0].meta("code") == "200")
        #expect(records[0].meta("source_ip") == "10.244.1.5")
        #expect(records[0].timestamp == 1_795_773_600_130_001_000)
        #expect(records[1].label("verb") == "delete")
        #expect(records[1].meta("code") == "403")
        #expect(records[1].meta("api_group") == "apps")
        #expect(records[1].meta("source_ip") == "203.0.113.9")
        #expect(records[2].label("__error__") == "AuditParserErr")
    }

    @Test(arguments: [
        ("unix", "1700000000", Int64(1_700_000_000_000_000_000)),
        ("unix", "1700000000.25", 1_700_000_000_250_000_000),
        ("unix_ms", "1700000000123", 1_700_000_000_123_000_000),
        ("unix_ns", "1700000000123456789", 1_700_000_000_123_456_789),
        ("rfc3339", "2023-11-14T22:13:20+01:00", 1_699_996_400_000_000_000),
        ("%Y-%m-%d %H:%M:%S.%f", "2023-11-14 22:13:20.5", 1_700_000_000_500_000_000),
        ("%b %e %H:%M:%S %Y", "Nov 14 22:13:20 2023", 1_700_000_000_000_000_000),
    ])
    func timestampFormats(format: String, text: String, expected: Int64) throws {
        let parser = TimestampParser(format: try LogProcessorConfig.timestampFormat(format))
        #expect(parser.parse(text) == expected)
    }

    @Test func aTimestampInTheWrongFormatKeepsTheReadTimeAndIsMarked() throws {
        let record = try one("- {type: json, timestamp: {field: t, format: unix_ms}}", #"{"t":"yesterday"}"#)
        #expect(record.timestamp == 0)
        #expect(record.label("__error__") == "TimestampParserErr")
    }

    @Test func addDropRenameAndRedactSteps() throws {
        let chain = try ProcessingFixtures.chain("""
            - {type: logfmt}
            - {type: add, labels: {team: payments}, metadata: {source: api}}
            - {type: rename, metadata: {usr: user}}
            - {type: drop, metadata: [debug]}
            - {type: redact, pattern: 'card=\\d{12}(\\d{4})', replacement: 'card=****$1', fields: [user]}
            - {type: redact, pattern: '(?P<local>[a-z]+)@example\\.com', replacement: '${local}@…', line: false, fields: [user]}
            """)
        let record = try #require(ProcessingFixtures.run(["usr=ann@example.com debug=1 card=123456789012345 card=1234567812345678"], chain).first)
        #expect(record.label("team") == "payments")
        #expect(record.meta("source") == "api")
        #expect(record.meta("user") == "ann@…")
        #expect(record.meta("usr") == nil)
        #expect(record.meta("debug") == nil)
        #expect(record.text == "usr=ann@example.com debug=1 card=123456789012345 card=****5678")
        #expect(record.meta("card") == "1234567812345678")
    }
}
