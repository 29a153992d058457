import VigilTestSupport
import Foundation
import HTTPTypes
import Logging
import Testing
import VigilConfig
import VigilModel
@testable import VigilScrape

/// Scrape loops against a real loopback exporter: ingestion, report series, staleness, limits
/// and failures, each checked in what the TSDB then holds.
@Suite struct Scraping {
    static let nodePayload = """
        # HELP node_load1 1m load average.
        # TYPE node_load1 gauge
        node_load1 0.5
        # HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.
        # TYPE node_cpu_seconds_total counter
        node_cpu_seconds_total{cpu="0",mode="idle"} 100
        node_cpu_seconds_total{cpu="0",mode="user"} 20

        """

    func withHarness(
        _ config: String = "job_name: node", payload: String = Scraping.nodePayload,
        _ body: (TestExporter, ScrapeHarness) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path
        try await TestExporter.with { exporter in
            exporter.set("/metrics", .text(payload))
            let harness = try ScrapeHarness(directory: path, scrapeConfig: config, address: exporter.address)
            do {
                try await body(exporter, harness)
            } catch {
                await harness.close()
                throw error
            }
            await harness.close()
        }
    }

    @Test func samplesAndReportSeriesAreStoredWithTargetLabels() async throws {
        try await withHarness { (exporter, harness) async throws in
            await harness.scrape()
            let load = try harness.series(named: "node_load1")
            #expect(load.keys.first == ["__name__": "node_load1", "instance": exporter.address, "job": "node"])
            #expect(load.values.first?.first?.value == 0.5)
            #expect(try harness.series(named: "node_cpu_seconds_total").count == 2)
            #expect(try harness.last("up") == 1)
            #expect(try harness.last("scrape_samples_scraped") == 3)
            #expect(try harness.last("scrape_samples_post_metric_relabeling") == 3)
            #expect(try harness.last("scrape_series_added") == 3)
            #expect(try harness.last("scrape_duration_seconds").map { $0 >= 0 } == true)
            #expect(harness.loop.status.health == .up)
            #expect(harness.loop.status.lastError == "")
            let metadata = harness.loop.metadata
            #expect(metadata.count == 2)
            #expect(metadata.first == MetricMetadata(metric: "node_load1", type: .gauge, help: "1m load average.", unit: ""))
            await harness.scrape()
            #expect(try harness.last("scrape_series_added") == 0)
            #expect(try harness.series(named: "node_load1").values.first?.count == 2)
        }
    }

    @Test func scrapeTimestampsSnapToTheirTickWithinTwoMilliseconds() {
        let tick: Timestamp = 1_795_000_015_000
        for jitter: Int64 in [-2, -1, 0, 1, 2] {
            #expect(ScrapeLoop.scrapeTimestamp(now: tick + jitter, intended: tick, intervalMS: 15_000) == tick)
        }
        for jitter: Int64 in [-3, 3, 250] {
            #expect(ScrapeLoop.scrapeTimestamp(now: tick + jitter, intended: tick, intervalMS: 15_000) == tick + jitter)
        }
        // Prometheus aligns only intervals over 100 times the tolerance (200 ms); a scrape outside
        // the timer's ticks (nil) keeps its own time.
        #expect(ScrapeLoop.scrapeTimestamp(now: tick + 1, intended: tick, intervalMS: 200) == tick + 1)
        #expect(ScrapeLoop.scrapeTimestamp(now: tick + 1, intended: tick, intervalMS: 201) == tick)
        #expect(ScrapeLoop.scrapeTimestamp(now: tick + 1, intended: nil, intervalMS: 15_000) == tick + 1)
    }

    @Test func requestCarriesPrometheusHeaders() async throws {
        try await withHarness("job_name: node\nscrape_timeout: 3s") { (exporter, harness) async throws in
            await harness.scrape()
            let headers = try #require(exporter.requests.last?.headers)
            #expect(
                headers["accept"]
                    == "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"
            )
            #expect(headers["accept-encoding"] == "gzip")
            #expect(headers["x-prometheus-scrape-timeout-seconds"] == "3")
        }
    }

    @Test func scrapeProtocolsShapeTheAcceptHeader() {
        #expect(ScrapeSettings.acceptHeader([.prometheusText0_0_4]) == "text/plain;version=0.0.4;q=0.5,*/*;q=0.4")
        // Protobuf is never offered: Vigil reads the text formats only.
        #expect(
            ScrapeSettings.acceptHeader([.prometheusProto, .openMetricsText1_0_0])
                == "application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.4")
    }

    @Test func disappearedSeriesGetStaleMarkers() async throws {
        try await withHarness { (exporter, harness) async throws in
            await harness.scrape()
            exporter.set("/metrics", .text("node_load1 0.7\n"))
            await harness.scrape()
            let cpu = try harness.series(named: "node_cpu_seconds_total")
            #expect(cpu.count == 2)
            for samples in cpu.values {
                #expect(samples.count == 2)
                #expect(samples.last.map { isStaleNaN($0.value) } == true)
            }
            #expect(try harness.series(named: "node_load1").values.first?.last?.value == 0.7)
            // Once stale, a series that stays away gets no further markers.
            await harness.scrape()
            #expect(try harness.series(named: "node_cpu_seconds_total").values.allSatisfy { $0.count == 2 })
        }
    }

    @Test func failedScrapeMarksEverythingStaleAndReportsDown() async throws {
        let failure = TestExporter.Reply(status: HTTPResponse.Status.internalServerError, body: Array("boom".utf8))
        try await withHarness { (exporter: TestExporter, harness: ScrapeHarness) async throws in
            await harness.scrape()
            exporter.set("/metrics", failure)
            await harness.scrape()
            #expect(try harness.last("up") == 0)
            #expect(harness.loop.status.health == .down)
            #expect(harness.loop.status.lastError == "server returned HTTP status 500 Internal Server Error")
            #expect(try harness.last("scrape_samples_scraped") == 0)
            #expect(try harness.series(named: "node_load1").values.first?.last.map { isStaleNaN($0.value) } == true)
            exporter.set("/metrics", .text(Scraping.nodePayload))
            await harness.scrape()
            #expect(try harness.last("up") == 1)
            #expect(try harness.last("node_load1") == 0.5)
        }
    }

    @Test func unparsableBodyFailsTheWholeScrape() async throws {
        try await withHarness(payload: "ok_metric 1\nthis is { not valid\n") { (_, harness) async throws in
            await harness.scrape()
            #expect(try harness.last("up") == 0)
            #expect(try harness.series(named: "ok_metric").isEmpty)
            #expect(harness.loop.status.lastError.contains("line 2"))
        }
    }

    @Test func timeoutIsReportedLikePrometheus() async throws {
        try await withHarness("job_name: node\nscrape_interval: 1s\nscrape_timeout: 200ms") { (exporter, harness) async throws in
            var slow = TestExporter.Reply.text("x 1\n")
            slow.delay = .seconds(2)
            exporter.set("/metrics", slow)
            await harness.scrape()
            #expect(try harness.last("up") == 0)
            #expect(harness.loop.status.lastError.hasSuffix("context deadline exceeded"))
        }
    }

    @Test func refusedConnectionNamesTheCause() async throws {
        let directory = try TemporaryDirectory()
        // Port 1 on loopback: nothing listens there.
        let harness = try ScrapeHarness(directory: directory.path, scrapeConfig: "job_name: dead\nscrape_timeout: 2s", address: "127.0.0.1:1")
        await harness.scrape()
        #expect(harness.loop.status.lastError == "Get \"http://127.0.0.1:1/metrics\": dial tcp 127.0.0.1:1: connect: connection refused")
        #expect(try harness.last("up") == 0)
        await harness.close()
    }

    @Test func bodySizeLimit() async throws {
        try await withHarness("job_name: node\nbody_size_limit: 100B") { (_, harness) async throws in
            await harness.scrape()
            #expect(harness.loop.status.lastError == "body size limit exceeded")
            #expect(try harness.series(named: "node_load1").isEmpty)
        }
    }

    @Test func sampleLimitFailsTheScrapeButCountsEverySample() async throws {
        try await withHarness("job_name: node\nsample_limit: 2") { (_, harness) async throws in
            await harness.scrape()
            #expect(harness.loop.status.lastError == "sample limit exceeded")
            #expect(try harness.last("up") == 0)
            #expect(try harness.last("scrape_samples_scraped") == 3)
            #expect(try harness.series(named: "node_load1").isEmpty)
        }
    }

    @Test func labelLimits() async throws {
        try await withHarness("job_name: node\nlabel_limit: 4") { (_, harness) async throws in
            await harness.scrape()
            #expect(harness.loop.status.lastError == "label_limit exceeded (metric: node_cpu_seconds_total, number of labels: 5, limit: 4)")
        }
        try await withHarness("job_name: node\nlabel_value_length_limit: 3") { (_, harness) async throws in
            await harness.scrape()
            #expect(harness.loop.status.lastError.hasPrefix("label_value_length_limit exceeded"))
        }
    }

    @Test func conflictingLabelsAreExported() async throws {
        let payload = "m{job=\"inner\",instance=\"i\",exported_job=\"taken\"} 1\n"
        try await withHarness(payload: payload) { (exporter, harness) async throws in
            await harness.scrape()
            let labels = try #require(harness.series(named: "m").keys.first)
            #expect(labels["job"] == "node")
            #expect(labels["instance"] == exporter.address)
            #expect(labels["exported_instance"] == "i")
            #expect(labels["exported_job"] == "taken")
            #expect(labels["exported_exported_job"] == "inner")
        }
        try await withHarness("job_name: node\nhonor_labels: true", payload: payload) { (exporter, harness) async throws in
            await harness.scrape()
            let labels = try #require(harness.series(named: "m").keys.first)
            #expect(labels["job"] == "inner")
            #expect(labels["instance"] == "i")
            // `up` always carries the target's own labels.
            #expect(try harness.series(named: "up").keys.first?["instance"] == exporter.address)
        }
    }

    @Test func honoredEmptyLabelStaysAbsent() async throws {
        try await withHarness("job_name: node\nhonor_labels: true", payload: "m{job=\"\",a=\"1\"} 1\n") { (_, harness) async throws in
            await harness.scrape()
            let labels = try #require(harness.series(named: "m").keys.first)
            #expect(labels["job"] == nil)
            #expect(labels["a"] == "1")
        }
        #expect(ScrapeSettings.exposesEmpty("job", in: UnsafeRawBufferPointer(start: nil, count: 0)) == false)
    }

    /// The loop expects each series where it was in the last scrape; a target that reorders,
    /// adds, drops or rewrites series between scrapes must still have every sample stored under
    /// the right series.
    @Test func reorderedAndChangedSeriesLandInTheRightSeries() async throws {
        let first = "a{i=\"1\"} 1\na{i=\"2\"} 2\nb 3\na{i=\"3\"} 4\nc 5\n"
        let second = "c 50\na{i=\"3\"} 40\nnew 60\nb 30\na{i=\"1\"} 10\na {i=\"2\"} 20\n"
        let third = "a{i=\"1\"} 100\nb 300\na{i=\"2\"} 200\nc 500\nnew 600\n"
        try await withHarness(payload: first) { (exporter, harness) async throws in
            await harness.scrape()
            exporter.set("/metrics", .text(second))
            await harness.scrape()
            exporter.set("/metrics", .text(third))
            await harness.scrape()
            func values(_ name: String, _ index: String? = nil) throws -> [Double] {
                try harness.series(named: name).first { index == nil || $0.key["i"] == index }?.value.map(\.value) ?? []
            }
            #expect(try values("a", "1") == [1, 10, 100])
            #expect(try values("a", "2") == [2, 20, 200])
            let third3 = try values("a", "3")
            #expect(third3.count == 3 && third3[0] == 4 && third3[1] == 40 && isStaleNaN(third3[2]))
            #expect(try values("b") == [3, 30, 300])
            #expect(try values("c") == [5, 50, 500])
            #expect(try values("new") == [60, 600])
            #expect(try harness.last("scrape_series_added") == 0)
            #expect(try harness.series(named: "a").count == 3)
        }
    }

    /// Metadata is rebuilt only when HELP, TYPE or UNIT lines change, and then exactly.
    @Test func metadataFollowsEveryChangeOfTheExposition() async throws {
        let first = "# HELP a First.\n# TYPE a gauge\na 1\n# HELP b B.\nb 2\n"
        let changed = "# HELP a Second\\nline.\n# TYPE a gauge\na 1\n# HELP b B.\n# TYPE b counter\nb 2\n"
        let fewer = "# HELP b B.\n# TYPE b counter\nb 2\n"
        try await withHarness(payload: first) { (exporter, harness) async throws in
            let a = MetricMetadata(metric: "a", type: .gauge, help: "First.", unit: "")
            let b = MetricMetadata(metric: "b", type: .unknown, help: "B.", unit: "")
            await harness.scrape()
            #expect(harness.loop.metadata == [a, b])
            await harness.scrape()
            #expect(harness.loop.metadata == [a, b])
            exporter.set("/metrics", .text(changed))
            await harness.scrape()
            let counter = MetricMetadata(metric: "b", type: .counter, help: "B.", unit: "")
            #expect(harness.loop.metadata == [MetricMetadata(metric: "a", type: .gauge, help: "Second\nline.", unit: ""), counter])
            exporter.set("/metrics", .text(fewer))
            await harness.scrape()
            #expect(harness.loop.metadata == [counter])
            exporter.set("/metrics", .text(first))
            await harness.scrape()
            #expect(harness.loop.metadata == [a, b])
        }
    }

    @Test func metricRelabelingDropsAndRewrites() async throws {
        let config = """
            job_name: node
            metric_relabel_configs:
              - source_labels: [mode]
                regex: idle
                action: drop
              - source_labels: [cpu]
                target_label: core
              - regex: cpu
                action: labeldrop
            """
        try await withHarness(config) { (_, harness) async throws in
            await harness.scrape()
            let cpu = try harness.series(named: "node_cpu_seconds_total")
            #expect(cpu.count == 1)
            #expect(cpu.keys.first?["core"] == "0")
            #expect(cpu.keys.first?["cpu"] == nil)
            #expect(try harness.last("scrape_samples_scraped") == 3)
            #expect(try harness.last("scrape_samples_post_metric_relabeling") == 2)
        }
    }

    @Test func explicitTimestampsAreHonouredAndNotStaled() async throws {
        let now = Timestamps.now()
        try await withHarness(payload: "with_ts 1 \(now - 1000)\nplain 2\n") { (exporter, harness) async throws in
            await harness.scrape()
            #expect(try harness.series(named: "with_ts").values.first?.first?.timestamp == now - 1000)
            exporter.set("/metrics", .text("other 3\n"))
            await harness.scrape()
            #expect(try harness.series(named: "with_ts").values.first?.count == 1)
            #expect(try harness.series(named: "plain").values.first?.last.map { isStaleNaN($0.value) } == true)
        }
        try await withHarness("job_name: node\nhonor_timestamps: false", payload: "with_ts 1 \(now - 1000)\n") { (_, harness) async throws in
            await harness.scrape()
            #expect(try harness.series(named: "with_ts").values.first?.first.map { $0.timestamp > now - 1000 } == true)
        }
    }

    @Test func gzipBodiesAreDecompressed() async throws {
        try await withHarness { (exporter, harness) async throws in
            var reply = TestExporter.Reply(body: gzipStored(Array("gz_metric 42\n".utf8)))
            reply.headers = [("Content-Encoding", "gzip")]
            exporter.set("/metrics", reply)
            await harness.scrape()
            #expect(harness.loop.status.lastError == "")
            #expect(try harness.last("gz_metric") == 42)
        }
    }

    @Test func openMetricsIsParsedWhenServed() async throws {
        try await withHarness { (exporter, harness) async throws in
            var reply = TestExporter.Reply.text(
                "# TYPE build_info info\n# HELP temp Temperature.\n# TYPE temp gauge\n# UNIT temp celsius\ntemp_celsius 21.5\nbuild_info{version=\"1\"} 1\n# EOF\n")
            reply.contentType = "application/openmetrics-text; version=1.0.0; charset=utf-8"
            // `temp_celsius` must belong to a family named `temp_celsius` when it has a unit.
            reply.body = Array(
                "# TYPE temp_celsius gauge\n# UNIT temp_celsius celsius\n# HELP temp_celsius Temperature.\ntemp_celsius 21.5\n# EOF\n".utf8)
            exporter.set("/metrics", reply)
            await harness.scrape()
            #expect(harness.loop.status.lastError == "")
            #expect(try harness.last("temp_celsius") == 21.5)
            #expect(harness.loop.metadata == [MetricMetadata(metric: "temp_celsius", type: .gauge, help: "Temperature.", unit: "celsius")])
        }
    }

    @Test func paramsAndRedirects() async throws {
        let config = """
            job_name: probe
            metrics_path: /probe
            params:
              module: [http_2xx]
            """
        let redirect = TestExporter.Reply(status: HTTPResponse.Status.found, headers: [("Location", "/metrics")])
        try await withHarness(config) { (exporter, harness) async throws in
            exporter.set("/probe", redirect)
            await harness.scrape()
            #expect(harness.loop.target.url == "http://\(exporter.address)/probe?module=http_2xx")
            #expect(exporter.requests.first?.query == "module=http_2xx")
            #expect(try harness.last("node_load1") == 0.5)
        }
    }

    @Test func authenticationHeadersReadFilesOnEveryScrape() async throws {
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("token", "first\n")
        let config = """
            job_name: node
            authorization:
              credentials_file: \(tokenFile)
            """
        try await withHarness(config) { (exporter, harness) async throws in
            await harness.scrape()
            #expect(exporter.requests.last?.headers["authorization"] == "Bearer first")
            _ = try directory.write("token", "second")
            await harness.scrape()
            #expect(exporter.requests.last?.headers["authorization"] == "Bearer second")
        }
        let basic = """
            job_name: node
            basic_auth:
              username: user
              password: pass
            """
        try await withHarness(basic) { (exporter, harness) async throws in
            await harness.scrape()
            #expect(exporter.requests.last?.headers["authorization"] == "Basic dXNlcjpwYXNz")
        }
    }

    @Test func stoppedTargetMarksItsSeriesAndReportStale() async throws {
        try await withHarness { (_, harness) async throws in
            await harness.scrape()
            await harness.loop.stop(markStale: true)
            #expect(try harness.series(named: "up").values.first?.last.map { isStaleNaN($0.value) } == true)
            #expect(try harness.series(named: "node_load1").values.first?.last.map { isStaleNaN($0.value) } == true)
        }
    }
}
