import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import VigilCollectors
import VigilExposition
import VigilModel
import VigilNodeAgent
import VigilServer
import VigilTestSupport

/// The node collector over HTTP: at `/metrics/node` of the server, and as the whole of a
/// config-less agent's `/metrics`.
@Suite struct NodeMetricsHTTPTests {
    @Test func serverServesTheNodeCollectorBesideItsOwnMetrics() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            let node = try await client.get("/metrics/node")
            #expect(node.status == .ok)
            let families = try parseFamilies(node.text, format: .text)
            #expect(families["node_cpu_seconds_total"]?.type == .counter)
            #expect(families["node_scrape_collector_success"] != nil)
            #expect(families["process_cpu_seconds_total"] == nil)
            let own = try parseFamilies(try await client.get("/metrics").text, format: .text)
            #expect(own["node_cpu_seconds_total"] == nil)
            #expect(own["process_cpu_seconds_total"] != nil)
            #expect(families["container_cpu_usage_seconds_total"]?.type == .counter, "the container collector is on by default")
            let resource = try await client.get("/metrics/resource")
            #expect(resource.status == .ok)
            let resourceFamilies = try parseFamilies(resource.text, format: .text)
            #expect(resourceFamilies["node_cpu_usage_seconds_total"]?.samples.first?.timestamp != nil)
            #expect(resourceFamilies["resource_scrape_error"]?.samples.first?.value == 0)
        }
    }

    @Test func configlessAgentOnlyCollects() async throws {
        var options = NodeCollectorOptions()
        options.enabled = ["cpu", "loadavg", "uname"]
        let server = CollectorServer(
            listen: ListenAddress(host: "127.0.0.1", port: 0), collectorOptions: options, logger: Logger(label: "test"))
        let (addresses, continuation) = AsyncStream<ListenAddress>.makeStream()
        let runTask = Task { try await server.run(onReady: { continuation.yield($0) }) }
        defer { runTask.cancel() }
        var iterator = addresses.makeAsyncIterator()
        let address = try #require(await iterator.next())
        try await TestClient.withClient(host: "127.0.0.1", port: address.port) { client in
            let response = try await client.get("/metrics")
            #expect(response.status == .ok)
            let families = try parseFamilies(response.text, format: .text)
            #expect(families["node_load1"] != nil)
            #expect(families["process_resident_memory_bytes"] != nil)
            #expect(families["node_scrape_collector_success"]?.samples.count == 3)
            #expect(families["node_memory_MemTotal_bytes"] == nil)
            let openMetrics = try await client.get("/metrics", headers: [.accept: "application/openmetrics-text;version=1.0.0"])
            #expect(openMetrics.text.hasSuffix("# EOF\n"))
            #expect(try await client.get("/-/ready").status == .ok)
            // The resource endpoint works with the container collector off: it reads the cgroups itself.
            let resource = try parseFamilies(try await client.get("/metrics/resource").text, format: .text)
            #expect(resource["node_memory_working_set_bytes"]?.type == .gauge)
            #expect(resource["scrape_error"]?.help.hasPrefix("[ALPHA] ") == true)
            #expect(try await client.post("/-/reload", body: ByteBuffer()).status == .notFound)
        }
        runTask.cancel()
        _ = await runTask.result
    }
}
