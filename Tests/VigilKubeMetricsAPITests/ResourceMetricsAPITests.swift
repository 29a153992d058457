import Foundation
import Synchronization
import Testing
import VigilModel
import VigilTSDB
import VigilTestSupport
@testable import VigilKubeMetricsAPI

/// metrics.k8s.io over a real TSDB: rates from the two newest cumulative points, working sets,
/// the cAdvisor fallback, and the objects and errors metrics-server returns.
@Suite struct ResourceMetricsAPITests {
    /// 2024-05-01T10:00:00Z.
    static let now: Int64 = 1_714_557_600_000

    static func store(_ directory: borrowing TemporaryDirectory, _ samples: [(Labels, Int64, Double)]) throws -> TSDB {
        let tsdb = try TSDB.open(directory: directory.path)
        var appender = tsdb.appender()
        for (labels, offset, value) in samples.sorted(by: { $0.1 < $1.1 }) {
            _ = try appender.append(ref: nil, labels: labels, timestamp: now + offset, value: value)
        }
        try appender.commit()
        return tsdb
    }

    static func api(_ tsdb: TSDB, source: ResourceUsageReader.Source = .auto) -> ResourceMetricsAPI {
        let reader = ResourceUsageReader(lookback: 120_000, source: source) { mint, maxt in tsdb.querier(mint: mint, maxt: maxt) }
        return ResourceMetricsAPI(reader: reader) { now }
    }

    static func get(_ api: ResourceMetricsAPI, _ path: String, _ query: [(String, String)] = []) async -> (Int, String) {
        let (status, body) = await api.respond(path: path, query: query)
        return (status, String(decoding: body, as: UTF8.self))
    }

    /// A node and two containers of one pod, as the kubelet-resource job stores them.
    static let resourceSamples: [(Labels, Int64, Double)] = [
        (["__name__": "node_cpu_usage_seconds_total", "node": "n1", "instance": "n1"], -30_000, 1000),
        (["__name__": "node_cpu_usage_seconds_total", "node": "n1", "instance": "n1"], -15_000, 1001.5),
        (["__name__": "node_memory_working_set_bytes", "node": "n1", "instance": "n1"], -15_000, 1_616_334_848),
        (["__name__": "container_cpu_usage_seconds_total", "container": "app", "namespace": "ns", "pod": "p"], -25_000, 7),
        (["__name__": "container_cpu_usage_seconds_total", "container": "app", "namespace": "ns", "pod": "p"], -10_000, 7.000068505),
        (["__name__": "container_memory_working_set_bytes", "container": "app", "namespace": "ns", "pod": "p"], -10_000, 12_533_760),
        (["__name__": "container_cpu_usage_seconds_total", "container": "sidecar", "namespace": "ns", "pod": "p"], -25_000, 1),
        (["__name__": "container_cpu_usage_seconds_total", "container": "sidecar", "namespace": "ns", "pod": "p"], -10_000, 1.75),
        (["__name__": "container_memory_working_set_bytes", "container": "sidecar", "namespace": "ns", "pod": "p"], -10_000, 1024),
    ]

    @Test func nodeMetricsAreTheRateOverTheTwoNewestPoints() async throws {
        let directory = try TemporaryDirectory()
        let tsdb = try Self.store(directory, Self.resourceSamples)
        let (status, body) = await Self.get(Self.api(tsdb), "/apis/metrics.k8s.io/v1beta1/nodes/n1")
        #expect(status == 200)
        // 1.5 core-seconds over 15 s: 0.1 cores.
        #expect(
            body
                == #"{"kind":"NodeMetrics","apiVersion":"metrics.k8s.io/v1beta1","metadata":{"name":"n1","creationTimestamp":"2024-05-01T10:00:00Z"},"timestamp":"2024-05-01T09:59:45Z","window":"15s","usage":{"cpu":"100m","memory":"1578452Ki"}}"#
        )
        let (listStatus, list) = await Self.get(Self.api(tsdb), "/apis/metrics.k8s.io/v1beta1/nodes")
        #expect(listStatus == 200)
        #expect(
            list
                == #"{"kind":"NodeMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{"name":"n1","creationTimestamp":"2024-05-01T10:00:00Z"},"timestamp":"2024-05-01T09:59:45Z","window":"15s","usage":{"cpu":"100m","memory":"1578452Ki"}}]}"#
        )
    }

    @Test func podMetricsListTheirContainers() async throws {
        let directory = try TemporaryDirectory()
        let tsdb = try Self.store(directory, Self.resourceSamples)
        let expected =
            #"{"metadata":{"name":"p","namespace":"ns","creationTimestamp":"2024-05-01T10:00:00Z"},"timestamp":"2024-05-01T09:59:50Z","window":"15s","containers":[{"name":"app","usage":{"cpu":"4567n","memory":"12240Ki"}},{"name":"sidecar","usage":{"cpu":"50m","memory":"1Ki"}}]}"#
        for path in ["/apis/metrics.k8s.io/v1beta1/pods", "/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods"] {
            let (status, body) = await Self.get(Self.api(tsdb), path)
            #expect(status == 200)
            #expect(body == #"{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":["# + expected + "]}")
        }
        let (_, other) = await Self.get(Self.api(tsdb), "/apis/metrics.k8s.io/v1beta1/namespaces/other/pods")
        #expect(other == #"{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[]}"#)
        let (status, single) = await Self.get(Self.api(tsdb), "/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods/p")
        #expect(status == 200)
        #expect(single == #"{"kind":"PodMetrics","apiVersion":"metrics.k8s.io/v1beta1","# + expected.dropFirst())
    }

    @Test func missingObjectsAreNotFoundStatuses() async throws {
        let directory = try TemporaryDirectory()
        let tsdb = try Self.store(directory, Self.resourceSamples)
        let (status, body) = await Self.get(Self.api(tsdb), "/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods/nope")
        #expect(status == 404)
        #expect(body.contains(#""message":"pods.metrics.k8s.io \"nope\" not found","reason":"NotFound""#))
        let (nodeStatus, nodeBody) = await Self.get(Self.api(tsdb), "/apis/metrics.k8s.io/v1beta1/nodes/n9")
        #expect(nodeStatus == 404)
        #expect(nodeBody.contains(#""details":{"name":"n9","group":"metrics.k8s.io","kind":"nodes"},"code":404"#))
        let (pathStatus, _) = await Self.get(Self.api(tsdb), "/apis/metrics.k8s.io/v1beta1/services")
        #expect(pathStatus == 404)
        let (selectorStatus, selectorBody) = await Self.get(Self.api(tsdb), "/apis/metrics.k8s.io/v1beta1/pods", [("labelSelector", "app=x")])
        #expect(selectorStatus == 400)
        #expect(selectorBody.contains(#""reason":"BadRequest""#))
    }

    @Test func selectorsKeepTheObjectsTheAPIServerNames() async throws {
        let directory = try TemporaryDirectory()
        let tsdb = try Self.store(
            directory,
            Self.resourceSamples + Self.resourceSamples.filter { $0.0["pod"] == "p" }.map { sample in
                (sample.0.setting("pod", to: "q"), sample.1, sample.2)
            })
        let asked = Mutex<[String]>([])
        let reader = ResourceUsageReader(lookback: 120_000, source: .auto) { mint, maxt in tsdb.querier(mint: mint, maxt: maxt) }
        let api = ResourceMetricsAPI(
            reader: reader,
            selectObjects: { resource, namespace, labels, fields in
                asked.withLock { $0.append("\(resource) \(namespace ?? "*") \(labels) \(fields)") }
                if labels == "bad=" { throw KubernetesStatus(code: 400, reason: "BadRequest", message: "unable to parse requirement") }
                return resource == "pods" ? ["ns/q", "elsewhere/p"] : ["n1"]
            }, clock: { Self.now })
        let (status, body) = await Self.get(api, "/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods", [("labelSelector", "app=web")])
        #expect(status == 200)
        #expect(body.contains(#""name":"q""#) && !body.contains(#""name":"p""#))
        let (_, all) = await Self.get(api, "/apis/metrics.k8s.io/v1beta1/pods", [("fieldSelector", "spec.nodeName=n1")])
        #expect(all.contains(#""name":"q""#) && !all.contains(#""name":"p""#))
        let (_, nodes) = await Self.get(api, "/apis/metrics.k8s.io/v1beta1/nodes", [("labelSelector", "role=worker")])
        #expect(nodes.contains(#""name":"n1""#))
        let (_, unselected) = await Self.get(api, "/apis/metrics.k8s.io/v1beta1/pods")
        #expect(unselected.contains(#""name":"q""#) && unselected.contains(#""name":"p""#))
        let (badStatus, badBody) = await Self.get(api, "/apis/metrics.k8s.io/v1beta1/pods", [("labelSelector", "bad=")])
        #expect(badStatus == 400)
        #expect(badBody.contains("unable to parse requirement"))
        let questions = asked.withLock { $0 }
        #expect(questions == ["pods ns app=web ", "pods *  spec.nodeName=n1", "nodes * role=worker ", "pods * bad= "])
    }

    @Test func aCounterThatWentBackwardsOrWentStaleGivesNoPoint() async throws {
        let directory = try TemporaryDirectory()
        let tsdb = try Self.store(
            directory,
            [
                (["__name__": "node_cpu_usage_seconds_total", "node": "reset"], -30_000, 50),
                (["__name__": "node_cpu_usage_seconds_total", "node": "reset"], -15_000, 2),
                (["__name__": "node_memory_working_set_bytes", "node": "reset"], -15_000, 4096),
                (["__name__": "node_cpu_usage_seconds_total", "node": "gone"], -30_000, 1),
                (["__name__": "node_cpu_usage_seconds_total", "node": "gone"], -20_000, 2),
                (["__name__": "node_cpu_usage_seconds_total", "node": "gone"], -15_000, StaleNaN.value),
                (["__name__": "node_memory_working_set_bytes", "node": "gone"], -15_000, 4096),
                (["__name__": "node_cpu_usage_seconds_total", "node": "old"], -300_000, 1),
                (["__name__": "node_cpu_usage_seconds_total", "node": "old"], -290_000, 2),
                (["__name__": "node_memory_working_set_bytes", "node": "old"], -290_000, 4096),
            ])
        let (_, body) = await Self.get(Self.api(tsdb), "/apis/metrics.k8s.io/v1beta1/nodes")
        #expect(body == #"{"kind":"NodeMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[]}"#)
    }

    @Test func cAdvisorSeriesServeWhenResourceSeriesAreAbsent() async throws {
        let directory = try TemporaryDirectory()
        let root: Labels = ["__name__": "container_cpu_usage_seconds_total", "id": "/", "instance": "10.0.0.7:9100"]
        let rootMemory: Labels = ["__name__": "container_memory_working_set_bytes", "id": "/", "instance": "10.0.0.7:9100"]
        let app: Labels = ["__name__": "container_cpu_usage_seconds_total", "id": "/kubepods/pod1/abc", "container": "app", "namespace": "ns", "pod": "p"]
        let appMemory = app.setting("__name__", to: "container_memory_working_set_bytes")
        let pause = app.setting("container", to: "POD").setting("id", to: "/kubepods/pod1/pause")
        let tsdb = try Self.store(
            directory,
            [
                (root, -20_000, 10), (root, -10_000, 30), (rootMemory, -10_000, 2_097_152),
                (app, -20_000, 1), (app, -10_000, 2), (appMemory, -10_000, 1024),
                (pause, -20_000, 1), (pause, -10_000, 2), (pause.setting("__name__", to: "container_memory_working_set_bytes"), -10_000, 1024),
            ])
        let (_, nodes) = await Self.get(Self.api(tsdb), "/apis/metrics.k8s.io/v1beta1/nodes")
        #expect(nodes.contains(#""name":"10.0.0.7""#) && nodes.contains(#""window":"10s","usage":{"cpu":"2","memory":"2Mi"}"#))
        let (_, pods) = await Self.get(Self.api(tsdb), "/apis/metrics.k8s.io/v1beta1/pods")
        #expect(pods.contains(#""containers":[{"name":"app","usage":{"cpu":"100m","memory":"1Ki"}}]"#))
        let (_, resourceOnly) = await Self.get(Self.api(tsdb, source: .resource), "/apis/metrics.k8s.io/v1beta1/nodes")
        #expect(resourceOnly.hasSuffix(#""items":[]}"#))
    }

    @Test func discoveryListsNodesAndPods() async throws {
        let directory = try TemporaryDirectory()
        let tsdb = try Self.store(directory, [])
        let (_, group) = await Self.get(Self.api(tsdb), "/apis/metrics.k8s.io")
        #expect(
            group
                == #"{"kind":"APIGroup","apiVersion":"v1","name":"metrics.k8s.io","versions":[{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}],"preferredVersion":{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}}"#
        )
        let (_, resources) = await Self.get(Self.api(tsdb), "/apis/metrics.k8s.io/v1beta1")
        #expect(
            resources
                == #"{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"metrics.k8s.io/v1beta1","resources":[{"name":"nodes","singularName":"","namespaced":false,"kind":"NodeMetrics","verbs":["get","list"]},{"name":"pods","singularName":"","namespaced":true,"kind":"PodMetrics","verbs":["get","list"]}]}"#
        )
    }
}
