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
        guard case .loki(let loki) = output.destination else {
            Issue.record("not a loki output: \(output.destination)")
            return
        }
        #expect(loki.tenantID == "team-a")
        #expect(output.batchWait == .seconds(2))
        #expect(output.batchSize.bytes == 1 << 20)
        #expect(output.bufferMaxBytes.bytes == 1 << 30)
        #expect(output.whenFull == .dropOldest)
        #expect(output.maxRetries == 0)
        #expect(loki.httpConfig.basicAuth?.username == "u")
    }

    @Test func decodesEveryOutputType() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("vigil.yml", """
            logs:
              inputs:
                - paths: [/x]
              outputs:
                - type: elasticsearch
                  url: http://es:9200
                  index: logs-%Y.%m.%d
                  compression: gzip
                  max_retries: 5
                - type: clickhouse
                  url: http://ch:8123
                  database: obs
                  password_file: secret
                  labels_format: json_string
                - {type: forward, address: "fluentd:24224", tag: k8s, tls: true, tls_config: {ca_file: ca.pem}, shared_key_file: fwd.key, self_hostname: node-1, username: vigil, password_file: fwd.pw}
                - {type: syslog, address: "[::1]:514", transport: udp, facility: local0}
                - {type: file, path: out/vigil.log, format: json, max_size: 10MiB, buffer_max_bytes: 64MiB}
                - {type: stdout, name: console}
            """)
        let outputs = try PrometheusConfig.load(path: path).logs.outputs
        #expect(outputs.map(\.name) == ["elasticsearch", "clickhouse", "forward", "syslog", "file", "console"])
        #expect(outputs[0].maxRetries == 5)
        #expect(outputs[4].bufferMaxBytes.bytes == 64 << 20)
        guard case .elasticsearch(let elasticsearch) = outputs[0].destination, case .clickhouse(let clickhouse) = outputs[1].destination,
              case .forward(let forward) = outputs[2].destination, case .syslog(let syslog) = outputs[3].destination,
              case .file(let file) = outputs[4].destination, case .stdout = outputs[5].destination
        else {
            Issue.record("wrong destinations: \(outputs.map(\.destination))")
            return
        }
        #expect(elasticsearch.index == "logs-%Y.%m.%d" && elasticsearch.compression == .gzip)
        #expect(clickhouse.database == "obs" && clickhouse.table == "logs" && clickhouse.labelsFormat == .jsonString)
        #expect(clickhouse.passwordFile == directory.path + "/secret")
        #expect(forward.tag == "k8s" && forward.requireAck)
        #expect(forward.tls.enabled && forward.tls.config.caFile == directory.path + "/ca.pem")
        #expect(forward.sharedKeyFile == directory.path + "/fwd.key" && forward.passwordFile == directory.path + "/fwd.pw")
        #expect(forward.usesSharedKey && forward.selfHostname == "node-1" && forward.username == "vigil")
        #expect(syslog.transport == .udp && syslog.facility == "local0")
        #expect(file.path == directory.path + "/out/vigil.log" && file.format == .json && file.maxSize.bytes == 10 << 20)
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
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: kafka\n", "unsupported output type \"kafka\" (supported: loki, elasticsearch"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: elasticsearch\n      url: http://e\n      tenant_id: x\n", "vigil.yml:7:7: logs.outputs[0].tenant_id: unknown field"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: elasticsearch\n      url: http://e\n      index: Logs\n", "index must be a lowercase"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: elasticsearch\n      url: http://e\n      index: l-%j\n", "only %Y, %m, %d and %H"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: clickhouse\n      url: http://c\n      table: \"x; DROP\"\n", "table must be an identifier"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: forward\n      address: fluentd\n", "address must be host:port"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: syslog\n", "a syslog output needs an address"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: syslog\n      address: h:514\n      facility: mail2\n", "unknown facility"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: file\n", "a file output needs a path"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: forward\n      address: f:24224\n      tls_config: {ca_file: x}\n", "tls_config is only used with tls: true"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: syslog\n      address: h:514\n      transport: udp\n      tls: true\n", "tls needs transport: tcp"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: forward\n      address: f:24224\n      shared_key: a\n      shared_key_file: b\n", "mutually exclusive"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: forward\n      address: f:24224\n      username: u\n", "set shared_key"),
        ("logs:\n  inputs:\n    - type: syslog\n      tls_server_config: {cert_file: c, key_file: k}\n  outputs:\n    - url: http://l/p\n", "tls_server_config applies only to mode tcp"),
        ("logs:\n  inputs:\n    - type: http\n      tls_server_config: {cert_file: c}\n  outputs:\n    - url: http://l/p\n", "tls_server_config needs key_file"),
        ("logs:\n  inputs:\n    - type: http\n      tls_server_config: {cert_file: c, key_file: k, client_auth_type: RequireAndVerifyClientCert}\n  outputs:\n    - url: http://l/p\n", "needs client_ca_file"),
        ("logs:\n  inputs:\n    - type: http\n      basic_auth: {username: u}\n  outputs:\n    - url: http://l/p\n", "basic_auth needs a username and a password"),
        ("logs:\n  inputs:\n    - type: http\n      authorization: {type: Bearer}\n  outputs:\n    - url: http://l/p\n", "authorization needs credentials"),
        ("logs:\n  inputs:\n    - paths: [/x]\n  outputs:\n    - type: loki\n      url: http://l\n      encoding: protobuf\n      compression: gzip\n", "compression: gzip applies to encoding: json"),
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
