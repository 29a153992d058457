import VigilTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilExposition
import VigilModel
import VigilServer

/// The real server on a loopback port, spoken to over HTTP.
@Suite struct ServerHTTPTests {
    static let goodConfig = """
        global:
          scrape_interval: 15s
        scrape_configs:
          - job_name: vigil
            static_configs:
              - targets: ['127.0.0.1:9470']
        """

    @Test func managementEndpointsAnswerLikePrometheus() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            let healthy = try await client.get("/-/healthy")
            #expect(healthy.status == .ok)
            #expect(healthy.text == "Vigil is Healthy.\n")
            let ready = try await client.get("/-/ready")
            #expect(ready.status == .ok)
            #expect(ready.text == "Vigil is Ready.\n")
            #expect(try await client.head("/-/healthy").status == .ok)
            #expect(try await client.get("/-/reload").status == .methodNotAllowed)
            let missing = try await client.get("/no/such/route")
            #expect(missing.status == .notFound)
            #expect(missing.text == "404 page not found\n")
        }
    }

    @Test func metricsServeSelfAndProcessMetricsInTextFormat() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            let response = try await client.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let families = try parseFamilies(response.text, format: .text)
            for name in [
                "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
                "process_open_fds", "process_max_fds", "process_start_time_seconds",
                "vigil_tsdb_head_series", "vigil_tsdb_head_samples_appended_total", "vigil_tsdb_wal_storage_size_bytes",
            ] {
                #expect(families[name] != nil, "missing \(name)")
            }
            let rss = try #require(families["process_resident_memory_bytes"]?.samples.first?.value)
            #expect(rss > 1_000_000)
            let buildInfo = try #require(families["vigil_build_info"]?.samples.first)
            #expect(buildInfo.value == 1)
            #expect(buildInfo.labels["version"] == BuildInfo.version)
            #expect(families["prometheus_config_last_reload_successful"]?.samples.first?.value == 1)
        }
    }

    @Test func metricsNegotiateOpenMetrics() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            let response = try await client.get(
                "/metrics",
                headers: [.accept: "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"]
            )
            #expect(response.headers[.contentType] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(response.text.hasSuffix("# EOF\n"))
            let families = try parseFamilies(response.text, format: .openMetrics)
            #expect(families["process_cpu_seconds_total"]?.type == .counter)
        }
    }

    @Test func reloadAppliesGoodConfigAndKeepsOldOnBadOne() async throws {
        let temp = try TemporaryDirectory()
        let configPath = try temp.write("prometheus.yml", Self.goodConfig)
        try await withRunningServer(configPath: configPath, dataDirectory: temp.path + "/data") { client, _ in
            _ = try temp.write("prometheus.yml", Self.goodConfig.replacingOccurrences(of: "15s", with: "30s"))
            let good = try await client.post("/-/reload", body: ByteBuffer())
            #expect(good.status == .ok)

            _ = try temp.write("prometheus.yml", Self.goodConfig + "\n    scrape_intervall: 5s\n")
            let bad = try await client.post("/-/reload", body: ByteBuffer())
            #expect(bad.status == .internalServerError)
            #expect(bad.text.contains("prometheus.yml:"), "error should name the file: \(bad.text)")
            #expect(bad.text.contains("scrape_intervall"), "error should name the field: \(bad.text)")

            let metrics = try parseFamilies(try await client.get("/metrics").text, format: .text)
            #expect(metrics["prometheus_config_last_reload_successful"]?.samples.first?.value == 0)
            #expect(metrics["vigil_config_reload_failures_total"]?.samples.first?.value == 1)
        }
    }
}

func parseFamilies(_ text: String, format: ExpositionFormat) throws -> [String: MetricFamily] {
    let families = try format.decodeFamilies(Array(text.utf8))
    return Dictionary(families.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
}
