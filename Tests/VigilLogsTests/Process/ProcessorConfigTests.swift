import Testing
import VigilConfig
@testable import VigilLogs

@Suite struct ProcessorConfigTests {
    static func yaml(_ processors: String) -> String {
        "logs:\n  inputs:\n    - paths: [/x]\n      processors:\n" + processors + "  outputs:\n    - url: http://l/p\n"
    }

    @Test func decodesEveryProcessorKind() throws {
        let config = try PrometheusConfig.parse(
            yaml: Self.yaml("""
                        - {type: multiline, rule: python, flush_timeout: 2s, max_lines: 50, max_bytes: 64KiB}
                        - {type: json, target: labels, labels: [level], timestamp: {field: ts, format: unix_ms}}
                        - {type: regex, pattern: '(?P<a>\\d+)'}
                        - {type: nginx, format: ingress}
                        - {type: kubernetes_audit}
                        - {type: add, labels: {team: x}}
                        - {type: drop, labels: [team]}
                        - {type: rename, metadata: {a: b}}
                        - {type: redact, pattern: 'secret=\\S+', replacement: 'secret=***'}
                        - {type: kubernetes, node_name: n1, pod_annotations: true}
                        - {type: kernel_problems}

                """), fileName: "vigil.yml")
        let processors = try #require(config.logs.fileInputs.first?.processors)
        #expect(processors.count == 11)
        guard case .multiline(let multiline) = processors[0].kind else { Issue.record("not multiline"); return }
        #expect(multiline.rule == .python)
        #expect(multiline.flushTimeout == .seconds(2))
        #expect(multiline.maxBytes.bytes == 64 << 10)
        guard case .parser(let json) = processors[1].kind else { Issue.record("not a parser"); return }
        #expect(json.target == .labels)
        #expect(json.timestamp?.field == "ts")
        #expect(json.timestamp?.format == .unixMilliseconds)
    }

    @Test(arguments: [
        ("        - {type: multiline, rule: cobol}\n", "vigil.yml:5", "unknown multiline rule"),
        ("        - {type: multiline, start: 'x'}\n", "vigil.yml:5", "either `rule` or both `start` and `continue`"),
        ("        - {type: multiline, rule: java}\n        - {type: multiline, rule: go}\n", "processors[1]", "at most one multiline"),
        ("        - {type: regex, pattern: '(?P<a>x)\\1'}\n", "pattern", "invalid escape sequence"),
        ("        - {type: regex, pattern: 'x+'}\n", "pattern", "named capture"),
        ("        - {type: redact, pattern: '(?=x)'}\n", "pattern", "invalid regex"),
        ("        - {type: json, timestamp: {field: t, format: weird}}\n", "timestamp.format", "unknown timestamp format"),
        ("        - {type: add, labels: {\"bad-name\": x}}\n", "labels", "invalid label name"),
        ("        - {type: geoip}\n", "type", "unknown processor type"),
    ])
    func rejectsBadProcessorsWithPositions(processors: String, place: String, expected: String) {
        do {
            _ = try PrometheusConfig.parse(yaml: Self.yaml(processors), fileName: "vigil.yml")
            Issue.record("accepted: \(processors)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(error.description.contains(place), "\(error.description)")
        }
    }
}
