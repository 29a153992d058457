import Synchronization
import Testing
import VigilConfig
import VigilModel
@testable import VigilLogs

/// A pod cache the tests fill by hand.
final class FakePodCache: PodMetadataSource {
    let pods = Mutex<[String: PodMetadata]>([:])

    func set(_ namespace: String, _ name: String, _ pod: PodMetadata) {
        pods.withLock { $0[namespace + "/" + name] = pod }
    }

    func pod(namespace: String, name: String) -> PodMetadata? {
        pods.withLock { $0[namespace + "/" + name] }
    }
}

@Suite struct KubernetesStepTests {
    static let id = String(repeating: "ab12", count: 16)

    @Test func readsBothKubeletPathLayouts() throws {
        let pods = try #require(KubernetesPath("/var/log/pods/shop_web-7d9f_0b7e7c1a-1111-2222-3333-444455556666/nginx/0.log"))
        #expect([pods.namespace, pods.pod, pods.podUID, pods.container, pods.containerID]
            == ["shop", "web-7d9f", "0b7e7c1a-1111-2222-3333-444455556666", "nginx", ""])
        let containers = try #require(KubernetesPath("/var/log/containers/web-7d9f_shop_istio-proxy-\(Self.id).log"))
        #expect([containers.namespace, containers.pod, containers.podUID, containers.container, containers.containerID]
            == ["shop", "web-7d9f", "", "istio-proxy", Self.id])
        #expect(KubernetesPath("/var/log/syslog") == nil)
        #expect(KubernetesPath("/var/log/containers/web_shop_c-short.log") == nil)
        #expect(KubernetesPath("/var/log/pods/bad/nginx/0.log") == nil)
    }

    @Test func addsPathMetadataAndEveryPodLabelAndAnnotation() throws {
        let cache = FakePodCache()
        var labels: [String: String] = [:]
        // Far more than Fluent Bit's 32 KiB buffer holds: nothing may be dropped.
        for index in 0..<500 { labels["label-\(index)"] = String(repeating: "v", count: 100) }
        cache.set("shop", "web-7d9f", PodMetadata(uid: "uid-1", labels: labels, annotations: ["app.kubernetes.io/version": "1.2"], nodeName: "n7"))
        let registry = MetricsRegistry()
        let chain = try ProcessingFixtures.chain(
            "- {type: kubernetes, pod_annotations: true}", services: LogProcessingServices(pods: cache), registry: registry)
        let out = ProcessingFixtures.run(["hello"], chain, path: "/var/log/containers/web-7d9f_shop_nginx-\(Self.id).log")
        let record = try #require(out.first)
        #expect(record.label("namespace") == "shop")
        #expect(record.label("pod") == "web-7d9f")
        #expect(record.label("container") == "nginx")
        #expect(record.label("node_name") == "n7")
        #expect(record.meta("pod_uid") == "uid-1")
        #expect(record.meta("container_id") == Self.id)
        #expect(record.meta("pod_label_label_499")?.count == 100)
        #expect(record.metadata.filter { $0.name.hasPrefix("pod_label_") }.count == 500)
        #expect(record.meta("pod_annotation_app_kubernetes_io_version") == "1.2")
    }

    @Test func configuredNodeNameWinsAndUnknownPodsAreCountedNotDropped() throws {
        let registry = MetricsRegistry()
        let chain = try ProcessingFixtures.chain(
            "- {type: kubernetes, node_name: worker-1}", services: LogProcessingServices(pods: FakePodCache()), registry: registry)
        let out = ProcessingFixtures.run(["x"], chain, path: "/var/log/pods/ns_p_u/c/0.log")
        #expect(out.first?.label("node_name") == "worker-1")
        #expect(out.first?.label("pod") == "p")
        let unknown = try registry.counter(
            name: "vigil_logs_kubernetes_pod_unknown_total",
            help: "Lines of container logs whose pod the pod cache did not know (path metadata only).", labels: ["input": "t"])
        #expect(unknown.value == 1)
    }

    @Test(arguments: [("vigil.dev/logs", "false"), ("fluentbit.io/exclude", "true")])
    func optedOutPodsAreDroppedAndCounted(annotation: String, value: String) throws {
        let cache = FakePodCache()
        cache.set("ns", "quiet", PodMetadata(annotations: [annotation: value]))
        cache.set("ns", "loud", PodMetadata(annotations: [annotation: value == "true" ? "false" : "true"]))
        let registry = MetricsRegistry()
        let chain = try ProcessingFixtures.chain("- {type: kubernetes}", services: LogProcessingServices(pods: cache), registry: registry)
        #expect(ProcessingFixtures.run(["a", "b"], chain, path: "/var/log/pods/ns_quiet_u/c/0.log").isEmpty)
        #expect(ProcessingFixtures.run(["a"], chain, path: "/var/log/pods/ns_loud_u/c/0.log").count == 1)
        let dropped = try registry.counter(
            name: "vigil_logs_input_lines_dropped_total", help: "Lines an input's processors dropped, by reason.",
            labels: ["input": "t", "reason": "excluded_pod"])
        #expect(dropped.value == 2)
    }
}
