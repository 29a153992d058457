import Logging
import ServiceLifecycle
import Testing
import VigilCollectors
import VigilConfig
import VigilKubernetes
@testable import VigilServer
import VigilTestSupport

/// The container collector's pod list from the API server: names and images by runtime ID,
/// over the node's log layout, made only where there is an API server to ask.
@Suite struct NodePodListTests {
    /// What the log layout of the node knows: a pod the API has not listed, and the web pod's
    /// app container by an older name.
    struct Layout: VigilCollectors.PodMetadataSource {
        func podDirectory() -> PodDirectory {
            PodDirectory(
                pods: ["uid-only-in-logs": .init(namespace: "ops", name: "job-1")],
                containers: ["bbb222": .init(name: "from-logs"), "fff999": .init(name: "job")])
        }
    }

    static var quiet: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    @Test func madeOnlyWithAKubeconfigOrInAPodAndWithTheContainerCollector() throws {
        var options = NodeCollectorOptions()
        options.enabled = ["container", "cpu"]
        #expect(try NodePodList.make(options: options, environment: [:], logger: Self.quiet) == nil)
        // In a pod without a service account token (not this test's process): the log layout only.
        #expect(
            try NodePodList.make(
                options: options, environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "NODE_NAME": "node-a"], logger: Self.quiet) == nil)
        options.enabled = ["cpu"]
        #expect(try NodePodList.make(options: options, environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1"], logger: Self.quiet) == nil)
        options.enabled = ["container"]
        options.containerKubeconfig = "/nonexistent/kubeconfig"
        #expect(throws: (any Error).self) { try NodePodList.make(options: options, environment: [:], logger: Self.quiet) }
    }

    @Test func runtimeIDsLoseTheirScheme() {
        #expect(NodePodList.runtimeID("containerd://0123abcd") == "0123abcd")
        #expect(NodePodList.runtimeID("cri-o://ffee") == "ffee")
        #expect(NodePodList.runtimeID("0123abcd") == "0123abcd")
        #expect(NodePodList.runtimeID("docker://") == nil)
        #expect(NodePodList.runtimeID("") == nil)
        #expect(NodePodList.runtimeID(nil) == nil)
    }

    @Test func theAPIServersPodsNameContainersAndTheirImages() async throws {
        let server = FakeKubernetesAPIServer()
        for object in KubernetesFixtures.cluster { try server.apply(object) }
        try await server.run { url in
            let list = try NodePodList(
                access: KubernetesAPIAccess(apiServer: url), nodeName: "node-a", layout: Layout(), logger: Self.quiet)
            // Before the first list: the layout alone.
            #expect(list.podDirectory() == Layout().podDirectory())
            let group = ServiceGroup(services: [list], logger: Self.quiet)
            let running = Task { try await group.run() }
            let listed = await eventually { list.podDirectory().containers["bbb222"]?.image == "registry.example/web:1.4" }
            #expect(listed)
            let directory = list.podDirectory()
            #expect(directory.pods["0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"] == .init(namespace: "shop", name: "web-7d4b9c-x2x8k"))
            #expect(directory.containers["bbb222"] == .init(name: "app", image: "registry.example/web:1.4"))
            #expect(directory.containers["ccc333"] == .init(name: "sidecar", image: "registry.example/proxy:2.0"))
            #expect(directory.containers["aaa111"] == .init(name: "migrate", image: "registry.example/web-migrate:1.4"))
            // What only the layout knows stays.
            #expect(directory.pods["uid-only-in-logs"] == .init(namespace: "ops", name: "job-1"))
            #expect(directory.containers["fff999"] == .init(name: "job"))
            #expect(server.requests.contains { $0.contains("fieldSelector=spec.nodeName") })
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}
