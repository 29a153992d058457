import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import VigilCollectors
import VigilExposition
import VigilLogging
import VigilModel
@testable import VigilNodeAgent
import VigilTestSupport

/// The lean agent: its flag parser (the same flags as `vigil agent`, without
/// swift-argument-parser), its HTTP server, and `vigil agent` handing over to it.
@Suite struct NodeAgentTests {
    @Test func parsesTheFlagsOfVigilAgent() throws {
        let parsed = try NodeAgentArguments.parse([
            "--listen", "0.0.0.0:9100", "--log.level=debug", "--log.format", "json", "--collector.disable-defaults",
            "--collector.cpu", "--collector.textfile", "--no-collector.cpu.guest", "--path.procfs=/host/proc",
            "--collector.textfile.directory", "/var/lib/ne", "--collector.diskstats.device-include=^sd",
        ])
        #expect(parsed.listen == ListenAddress(host: "0.0.0.0", port: 9100))
        #expect(parsed.logLevel == .debug && parsed.logFormat == .json && !parsed.help)
        let options = try NodeCollectorOptions(flags: parsed.collector)
        #expect(options.enabled == ["cpu", "textfile"])
        #expect(!options.cpuGuest)
        #expect(options.paths.procfs == "/host/proc")
        #expect(options.textfileDirectory == "/var/lib/ne")
        #expect(options.diskstatsDeviceInclude == "^sd" && options.diskstatsDeviceExclude == nil)
        let defaults = try NodeCollectorOptions(flags: try NodeAgentArguments.parse(["--no-collector.gpu"]).collector)
        var expected = NodeCollectorOptions()
        expected.enabled.remove("gpu")
        #expect(defaults == expected)
        #expect(try NodeAgentArguments.parse(["-h"]).help)
    }

    @Test(arguments: [
        (["--bogus"], "unknown option '--bogus'"),
        (["--listen"], "missing value for '--listen <value>'"),
        (["--listen", "nowhere"], "invalid listen address"),
        (["--log.level=loud"], "'--log.level'"),
        (["--collector.cpu=true"], "takes no value"),
        (["agent"], "unexpected argument 'agent'"),
        (["--collector.container.kubeconfig", "k"], "needs `vigil agent`"),
        (["--no-collector.disable-defaults"], "unknown option"),
    ])
    func refusesWhatItDoesNotKnow(arguments: [String], message: String) {
        #expect {
            try NodeAgentArguments.parse(arguments)
        } throws: { "\($0)".contains(message) }
    }

    @Test func conflictingPatternsAreRefused() throws {
        let flags = try NodeAgentArguments.parse([
            "--collector.netdev.device-exclude=^lo$", "--collector.netdev.device-include=^eth",
        ]).collector
        #expect { try NodeCollectorOptions(flags: flags) } throws: { "\($0)".contains("mutually exclusive") }
    }

    @Test func theUsageNamesEveryFlag() {
        let usage = NodeAgentArguments.usage
        for flag in NodeCollectorOptions.valueFlags where flag.name != "collector.container.kubeconfig" {
            #expect(usage.contains("--\(flag.name) <\(flag.valueName)>"))
        }
        for collector in NodeCollectorOptions.available { #expect(usage.contains(collector.name)) }
    }

    @Test func theServerAnswersTheAgentsRoutes() async throws {
        var options = NodeCollectorOptions()
        options.enabled = ["cpu", "loadavg", "uname"]
        let registry = MetricsRegistry()
        ProcessMetrics.register(on: registry)
        try BuildInfoMetric.register(on: registry)
        let server = NodeAgentServer(
            listen: ListenAddress(host: "127.0.0.1", port: 0), exporter: try NodeExporter(options: options, logger: Logger(label: "test")),
            registry: registry, logger: Logger(label: "test"))
        let (addresses, continuation) = AsyncStream<ListenAddress>.makeStream()
        let (stop, stopping) = AsyncStream<Void>.makeStream()
        let running = Task {
            try await server.run(onReady: { continuation.yield($0) }, until: { for await _ in stop {} })
        }
        var iterator = addresses.makeAsyncIterator()
        let address = try #require(await iterator.next())
        try await TestClient.withClient(host: "127.0.0.1", port: address.port) { client in
            let response = try await client.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == ExpositionFormat.text.contentType)
            let families = try parseFamilies(response.text, format: .text)
            #expect(families["node_load1"] != nil)
            #expect(families["process_resident_memory_bytes"] != nil)
            #expect(families["vigil_build_info"] != nil)
            #expect(families["node_scrape_collector_success"]?.samples.count == 3)
            #expect(families.keys.sorted() == Array(families.keys).sorted())
            let openMetrics = try await client.get("/metrics", headers: [.accept: "application/openmetrics-text;version=1.0.0"])
            #expect(openMetrics.text.hasSuffix("# EOF\n"))
            // The same connection answers again (keep-alive).
            let resource = try parseFamilies(try await client.get("/metrics/resource").text, format: .text)
            #expect(resource["node_memory_working_set_bytes"]?.type == .gauge)
            #expect(try await client.get("/-/ready").text == "Vigil is Ready.\n")
            #expect(try await client.get("/-/healthy").text == "Vigil is Healthy.\n")
            let head = try await client.head("/metrics")
            #expect(head.status == .ok && (head.body?.readableBytes ?? 0) == 0)
            #expect(Int(head.headers[.contentLength] ?? "0") ?? 0 > 1000)
            let post = try await client.post("/metrics", body: ByteBuffer(string: "x"))
            #expect(post.status == .methodNotAllowed && post.headers[.allow] == "GET, HEAD")
            #expect(try await client.get("/-/reload").status == .notFound)
            let big = try await client.post("/-/ready", body: ByteBuffer(repeating: 0x61, count: 100_000))
            #expect(big.status == .contentTooLarge)
        }
        stopping.finish()
        try await running.value
    }
}

/// `vigil agent` without `--config` hands over to `vigil-agent` beside it, and stays itself when told to.
@Suite struct LeanAgentHandOverTests {
    func runAgent(environment: [String: String]) async throws -> (executable: String, metrics: String) {
        let temp = try TemporaryDirectory()
        let child = try VigilProcess(
            ["agent", "--listen", "127.0.0.1:0", "--data-dir", temp.path + "/data", "--collector.disable-defaults", "--collector.loadavg"],
            environment: environment)
        try child.start()
        defer {
            child.signal(SIGTERM)
            _ = child.waitForExit(timeout: 30)
        }
        let port = try #require(await child.waitForListenPort("Serving node metrics"), "\(child.standardError)")
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(child.process.processIdentifier)/exe")) ?? ""
        let metrics = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            try await client.get("/metrics").text
        }
        return (executable, metrics)
    }

    @Test func withoutAConfigTheLeanAgentServes() async throws {
        let lean = try await runAgent(environment: [:])
        #expect(lean.executable.hasSuffix("/vigil-agent"))
        #expect(lean.metrics.contains("node_load1 "))
        #expect(!lean.metrics.contains("node_cpu_seconds_total"))
        let inProcess = try await runAgent(environment: ["VIGIL_AGENT_IN_PROCESS": "1"])
        #expect(inProcess.executable.hasSuffix("/vigil"))
        #expect(inProcess.metrics.contains("node_load1 "))
    }
}
