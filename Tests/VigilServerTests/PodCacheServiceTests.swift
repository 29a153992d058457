import Logging
import ServiceLifecycle
import Testing
import VigilConfig
import VigilLogs
import VigilServer
import VigilTestSupport

/// The `kubernetes` log processors' pod cache: made only when a processor wants it, fed by a pod
/// informer of the API server `logs.kubernetes` names.
@Suite struct PodCacheServiceTests {
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
        #expect(try PodCacheService.make(logs: noProcessor, logger: quiet) == nil)
        // Outside a pod and with no server named: path metadata only.
        #expect(try PodCacheService.make(logs: try Self.logs(Self.withProcessor), logger: quiet) == nil)
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
            let service = try #require(try PodCacheService.make(logs: logs, logger: quiet))
            let group = ServiceGroup(services: [service], logger: quiet)
            let running = Task { try await group.run() }
            let known = await eventually { service.cache.pod(namespace: "shop", name: "web-7d4b9c-x2x8k") != nil }
            #expect(known)
            let pod = service.cache.pod(namespace: "shop", name: "web-7d4b9c-x2x8k")
            #expect(pod?.labels["app.kubernetes.io/name"] == "web")
            #expect(pod?.uid == "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
            try server.apply(KubernetesFixtures.pod("late", ip: "10.9.9.9", labels: ["team": "x"]))
            let followed = await eventually { service.cache.pod(namespace: "shop", name: "late")?.labels["team"] == "x" }
            #expect(followed)
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}
