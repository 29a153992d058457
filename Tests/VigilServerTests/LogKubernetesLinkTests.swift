import Logging
import ServiceLifecycle
import Testing
import VigilConfig
import VigilKubernetes
import VigilLogs
@testable import VigilServer
import VigilTestSupport

/// The log pipeline's API server link: the `kubernetes` processors' pod cache (fed by a pod
/// informer) and the `kernel_problems` Node events, made only when a processor wants them.
@Suite struct LogKubernetesLinkTests {
    static func logs(_ yaml: String) throws -> LogsConfig {
        try PrometheusConfig.parse(yaml: yaml).logs
    }

    static let withProcessor = """
        logs:
          inputs:
            - paths: [/var/log/pods/*/*/*.log]
              format: cri
              processors: [{type: kubernetes}]
          outputs:
            - url: http://127.0.0.1:1/loki/api/v1/push
        """

    @Test func onlyAKubernetesProcessorWithAConnectionMakesOne() throws {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let noProcessor = try Self.logs(
            "logs:\n  inputs: [{paths: [/x/*.log]}]\n  outputs: [{url: 'http://127.0.0.1:1/p'}]\n  kubernetes: {api_server: 'http://127.0.0.1:2'}\n")
        #expect(try LogKubernetesLink.make(logs: noProcessor, logger: quiet) == nil)
        // Outside a pod and with no server named: path metadata only.
        #expect(try LogKubernetesLink.make(logs: try Self.logs(Self.withProcessor), logger: quiet) == nil)
        let bad = #expect(throws: (any Error).self) {
            try Self.logs(Self.withProcessor + "\n  kubernetes: {api_server: 'ftp://x', kubeconfig_file: k}\n")
        }
        #expect("\(bad.map { "\($0)" } ?? "")".contains("mutually exclusive"))
    }

    @Test func theCacheFollowsThePodsOfTheAPIServer() async throws {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let server = FakeKubernetesAPIServer()
        for object in KubernetesFixtures.cluster { try server.apply(object) }
        try await server.run { url in
            let logs = try Self.logs(Self.withProcessor + "\n  kubernetes: {api_server: '\(url)'}\n")
            let service = try #require(try LogKubernetesLink.make(logs: logs, logger: quiet))
            let group = ServiceGroup(services: [service], logger: quiet)
            let running = Task { try await group.run() }
            let known = await eventually { service.cache?.pod(namespace: "shop", name: "web-7d4b9c-x2x8k") != nil }
            #expect(known)
            let pod = service.cache?.pod(namespace: "shop", name: "web-7d4b9c-x2x8k")
            #expect(pod?.labels["app.kubernetes.io/name"] == "web")
            #expect(pod?.uid == "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
            try server.apply(KubernetesFixtures.pod("late", ip: "10.9.9.9", labels: ["team": "x"]))
            let followed = await eventually { service.cache?.pod(namespace: "shop", name: "late")?.labels["team"] == "x" }
            #expect(followed)
            #expect(!service.postsKernelProblems && service.services.kernelProblems == nil)
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }

    @Test func kernelProblemsArePostedAsNodeEvents() async throws {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let server = FakeKubernetesAPIServer()
        try await server.run { url in
            let logs = try Self.logs("""
                logs:
                  inputs:
                    - type: kmsg
                      processors: [{type: kernel_problems}]
                  outputs:
                    - url: http://127.0.0.1:1/loki/api/v1/push
                  kubernetes: {api_server: '\(url)'}
                """)
            let link = try #require(try LogKubernetesLink.make(logs: logs, logger: quiet))
            #expect(link.cache == nil)
            let report = try #require(link.services.kernelProblems)
            let timestamp: Int64 = 1_764_000_000_123_000_000
            await report(
                KernelProblem(
                    reason: "OOMKilling", conditionType: "", severity: .temporary,
                    message: "Out of memory: Killed process 17 (postgres)", nodeName: "node-a", timestamp: timestamp))
            let name = "node-a." + String(UInt64(timestamp), radix: 16)
            let event = try #require(try server.object(apiVersion: "v1", kind: "Event", namespace: "default", name: name))
            #expect(event["reason"] as? String == "OOMKilling")
            #expect(event["type"] as? String == "Warning")
            #expect(event["message"] as? String == "Out of memory: Killed process 17 (postgres)")
            let involved = event["involvedObject"] as? [String: Any]
            #expect(involved?["kind"] as? String == "Node" && involved?["name"] as? String == "node-a")
            #expect((event["source"] as? [String: Any])?["component"] as? String == "kernel-monitor")
            #expect(event["lastTimestamp"] as? String == "2025-11-24T16:00:00.123Z")
            #expect(server.requests.contains("POST /api/v1/namespaces/default/events"))
            await link.client.shutdown()
        }
    }
}
