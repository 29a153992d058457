import Testing
import VigilTestSupport
import VigilConfig
@testable import VigilLogs

@Suite struct LogsConfigTests {
    @Test func decodesTheSectionWithDefaults() throws {
        let config = try PrometheusConfig.parse(
            yaml: """
                global:
                  scrape_interval: 15s
                logs:
                  inputs:
                    - name: pods
                      paths: [/var/log/pods/*/*/*.log]
                      exclude: [/var/log/pods/kube-system_*/*/*.log]
                      format: cri
                      labels: {cluster: prod}
                  outputs:
                    - url: http://loki:3100/loki/api/v1/push
                      tenant_id: team-a
                      batch_wait: 2s
                      http_config:
                        basic_auth: {username: u, password: p}
                """, fileName: "vigil.yml"
        ).logs
        #expect(config.inputs.count == 1)
        let input = try #require(config.fileInputs.first)
        #expect(input.format == .cri)
        #expect(input.readFromHead == false)
        #expect(input.labels == ["cluster": "prod"])
        #expect(input.maxLineSize.bytes == 256 << 10)
        let output = try #require(config.outputs.first)
        #expect(output.name == "loki")
        #expect(output.tenantID == "team-a")
        #expect(output.batchWait == .seconds(2))
        #expect(output.batchSize.bytes == 1 << 20)
        #expect(output.bufferMaxBytes.bytes == 1 << 30)
        #expect(output.whenFull == .dropOldest)
        #expect(output.maxRetries == 0)
        #expect(output.httpConfig.basicAuth?.username == "u")
    }

    @Test func resolvesRelativePathsAgainstTheConfigDirectory() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "vigil.yml", "logs:\n  inputs:\n    - paths: [logs/*.log]\n  outputs:\n    - url: http://l/p\n")
        let config = try PrometheusConfig.load(path: path).logs
        #expect(config.fileInputs.first?.paths == [directory.path + "/logs/*.log"])
    }

    @Test(arguments: [
        ("logs:\n  inputs:\n    - paths: [/x]\n      formatt: cri\n  outputs:\n    - url: http://l/p\n", "vigil.yml:4:7: logs.inputs[0].formatt"),
        ("logs:\n  inputs:\n    - paths: [/x]\n      format: json\n  outputs:\n    - url: http://l/p\n", "vigil.yml:4:15"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - batch_size: 1MiB\n", "a loki output needs a url"),
        ("logs:\n  inputs:\n    - paths: [/x]\n", "inputs are configured but no output"),
        ("logs:\n  inputs:\n    - type: kafka\n      paths: [/x]\n  outputs:\n    - url: http://l/p\n", "unsupported input type \"kafka\" (supported: file, kmsg, syslog, journal, http)"),
        ("logs:\n  inputs:\n    - paths: []\n  outputs:\n    - url: http://l/p\n", "needs at least one path"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - url: http://l/p\n      labels: {\"bad-name\": x}\n", "invalid label name"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - url: http://l/p\n      buffer_max_bytes: 1MiB\n", "at least 4 × batch_size"),
        ("logz:\n  inputs: []\n", "unknown field \"logz\""),
    ])
    func rejectsBadSectionsWithPositions(yaml: String, expected: String) {
        do {
            _ = try PrometheusConfig.parse(yaml: yaml, fileName: "vigil.yml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }
}
