import Synchronization
import Testing
import VigilKubeMetricsAPI
import VigilMetricsAdapter
import VigilModel

/// The walkthrough's rules over a real TSDB and PromQL engine, asserting the exact JSON the
/// adapter serves.
struct MetricsAdapterTests {
    static let evaluationTime: Int64 = 600_000

    let store: AdapterTestStore

    init() throws {
        store = try AdapterTestStore()
        let until = Self.evaluationTime
        try store.counter(
            ["__name__": "http_requests_total", "kubernetes_namespace": "default", "kubernetes_pod_name": "p1", "method": "GET"],
            perSecond: 0.5, until: until)
        try store.counter(
            ["__name__": "http_requests_total", "kubernetes_namespace": "default", "kubernetes_pod_name": "p2", "method": "GET"],
            perSecond: 1.5, until: until)
        try store.counter(
            ["__name__": "http_requests_total", "kubernetes_namespace": "other", "kubernetes_pod_name": "p3", "method": "POST"],
            perSecond: 12, until: until)
        try store.counter(
            ["__name__": "container_network_receive_bytes_total", "namespace": "default", "pod": "p1", "container": "app"],
            perSecond: 1200, until: until)
        try store.counter(
            ["__name__": "container_cpu_usage_seconds_total", "namespace": "default", "pod": "p1", "container": "app"],
            perSecond: 0.25, until: until)
        try store.append(["__name__": "queue_depth", "namespace": "default", "queue": "jobs"], [(until - 5000, 7)])
        try store.append(["__name__": "queue_depth", "namespace": "default", "queue": "mail"], [(until - 5000, 0.25)])
    }

    func adapter(objects: MetricsAdapter.ObjectLister? = nil) throws -> MetricsAdapter {
        let config = try AdapterConfig.parse(yaml: WalkthroughConfig.yaml, fileName: "adapter.yaml")
        return try MetricsAdapter(
            config: config, series: store.series, query: store.query, objects: objects,
            now: { Self.evaluationTime }, logger: AdapterTestStore.quietLogger)
    }

    func get(_ group: AggregatedAPIGroup, _ path: String, _ query: [(String, String)] = []) async -> (Int, String) {
        let (status, body) = await group.handle(path, query)
        return (status, String(decoding: body, as: UTF8.self))
    }

    @Test func groupAndVersionDiscovery() async throws {
        let custom = try adapter().customMetricsGroup()
        #expect(custom.name == "custom.metrics.k8s.io")
        #expect(custom.versions == ["v1beta2", "v1beta1"])
        let (status, group) = await get(custom, "/apis/custom.metrics.k8s.io")
        #expect(status == 200)
        #expect(
            group
                == #"{"kind":"APIGroup","apiVersion":"v1","name":"custom.metrics.k8s.io","versions":[{"groupVersion":"custom.metrics.k8s.io/v1beta2","version":"v1beta2"},{"groupVersion":"custom.metrics.k8s.io/v1beta1","version":"v1beta1"}],"preferredVersion":{"groupVersion":"custom.metrics.k8s.io/v1beta2","version":"v1beta2"}}"#
        )
        let (_, resources) = await get(custom, "/apis/custom.metrics.k8s.io/v1beta1")
        // container_cpu_usage_seconds_total is filtered out by isNot; "container" names no resource.
        #expect(
            resources
                == #"{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"custom.metrics.k8s.io/v1beta1","resources":[{"name":"namespaces/http_requests_per_second","singularName":"","namespaced":false,"kind":"MetricValueList","verbs":["get"]},{"name":"namespaces/network_receive_bytes","singularName":"","namespaced":false,"kind":"MetricValueList","verbs":["get"]},{"name":"pods/http_requests_per_second","singularName":"","namespaced":true,"kind":"MetricValueList","verbs":["get"]},{"name":"pods/network_receive_bytes","singularName":"","namespaced":true,"kind":"MetricValueList","verbs":["get"]}]}"#
        )
        let external = try adapter().externalMetricsGroup()
        let (_, externalResources) = await get(external, "/apis/external.metrics.k8s.io/v1beta1")
        #expect(
            externalResources
                == #"{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"external.metrics.k8s.io/v1beta1","resources":[{"name":"queue_depth","singularName":"","namespaced":true,"kind":"ExternalMetricValueList","verbs":["get"]}]}"#
        )
        let (_, externalGroup) = await get(external, "/apis/external.metrics.k8s.io")
        #expect(
            externalGroup
                == #"{"kind":"APIGroup","apiVersion":"v1","name":"external.metrics.k8s.io","versions":[{"groupVersion":"external.metrics.k8s.io/v1beta1","version":"v1beta1"}],"preferredVersion":{"groupVersion":"external.metrics.k8s.io/v1beta1","version":"v1beta1"}}"#
        )
    }

    @Test func everyPodInANamespaceV1beta2() async throws {
        let custom = try adapter().customMetricsGroup()
        let (status, body) = await get(custom, "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests_per_second")
        #expect(status == 200)
        #expect(
            body
                == #"{"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta2","metadata":{},"items":[{"describedObject":{"kind":"Pod","namespace":"default","name":"p1","apiVersion":"/v1"},"metric":{"name":"http_requests_per_second"},"timestamp":"1970-01-01T00:10:00Z","value":"500m"},{"describedObject":{"kind":"Pod","namespace":"default","name":"p2","apiVersion":"/v1"},"metric":{"name":"http_requests_per_second"},"timestamp":"1970-01-01T00:10:00Z","value":"1500m"}]}"#
        )
    }

    @Test func onePodV1beta1WithMetricLabelSelector() async throws {
        let custom = try adapter().customMetricsGroup()
        let (status, body) = await get(
            custom, "/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/p1/http_requests_per_second",
            [("metricLabelSelector", "method=GET")])
        #expect(status == 200)
        #expect(
            body
                == #"{"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta1","metadata":{},"items":[{"describedObject":{"kind":"Pod","namespace":"default","name":"p1","apiVersion":"/v1"},"metricName":"http_requests_per_second","timestamp":"1970-01-01T00:10:00Z","value":"500m","selector":{"matchLabels":{"method":"GET"}}}]}"#
        )
        let (_, v2) = await get(
            custom, "/apis/custom.metrics.k8s.io/v1beta2/namespaces/other/pods/p3/http_requests_per_second",
            [("metricLabelSelector", "method in (POST,PUT)")])
        #expect(
            v2
                == #"{"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta2","metadata":{},"items":[{"describedObject":{"kind":"Pod","namespace":"other","name":"p3","apiVersion":"/v1"},"metric":{"name":"http_requests_per_second","selector":{"matchExpressions":[{"key":"method","operator":"In","values":["POST","PUT"]}]}},"timestamp":"1970-01-01T00:10:00Z","value":"12"}]}"#
        )
        // A selector no series matches: nothing, so the object has no metric.
        let (missing, missingBody) = await get(
            custom, "/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/p1/http_requests_per_second",
            [("metricLabelSelector", "method=POST")])
        #expect(missing == 404)
        #expect(
            missingBody
                == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the metric http_requests_per_second for pods p1","reason":"NotFound","code":404}"#
        )
    }

    @Test func namespaceAsTheDescribedObject() async throws {
        let custom = try adapter().customMetricsGroup()
        let expected =
            #"{"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta2","metadata":{},"items":[{"describedObject":{"kind":"Namespace","name":"default","apiVersion":"/v1"},"metric":{"name":"http_requests_per_second"},"timestamp":"1970-01-01T00:10:00Z","value":"2"}]}"#
        let (status, special) = await get(custom, "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/metrics/http_requests_per_second")
        #expect(status == 200)
        #expect(special == expected)
        let (_, rootScoped) = await get(custom, "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/http_requests_per_second")
        #expect(rootScoped == expected)
        let (_, network) = await get(custom, "/apis/custom.metrics.k8s.io/v1beta2/namespaces/*/network_receive_bytes")
        #expect(
            network
                == #"{"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta2","metadata":{},"items":[{"describedObject":{"kind":"Namespace","name":"default","apiVersion":"/v1"},"metric":{"name":"network_receive_bytes"},"timestamp":"1970-01-01T00:10:00Z","value":"1200"}]}"#
        )
    }

    @Test func labelSelectorGoesThroughTheObjectLister() async throws {
        let calls = Mutex<[String]>([])
        let custom = try adapter(objects: { resource, namespace, selector in
            calls.withLock { $0.append("\(resource) \(namespace) \(selector)") }
            return ["p2", "p9"]
        }).customMetricsGroup()
        let (status, body) = await get(
            custom, "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests_per_second",
            [("labelSelector", "app=web")])
        #expect(status == 200)
        #expect(
            body
                == #"{"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta2","metadata":{},"items":[{"describedObject":{"kind":"Pod","namespace":"default","name":"p2","apiVersion":"/v1"},"metric":{"name":"http_requests_per_second"},"timestamp":"1970-01-01T00:10:00Z","value":"1500m"}]}"#
        )
        #expect(calls.withLock { $0 } == ["pods default app=web"])
    }

    @Test func labelSelectorWithoutAListerIsRefused() async throws {
        let custom = try adapter().customMetricsGroup()
        let (status, body) = await get(
            custom, "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests_per_second",
            [("labelSelector", "app=web")])
        #expect(status == 500)
        #expect(
            body
                == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: unable to list matching resources","reason":"InternalError","details":{"causes":[{"message":"unable to list matching resources"}]},"code":500}"#
        )
    }

    @Test func unknownMetricsAreNotFound() async throws {
        let custom = try adapter().customMetricsGroup()
        let (status, body) = await get(custom, "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/nope")
        #expect(status == 404)
        #expect(
            body
                == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the metric nope for pods","reason":"NotFound","code":404}"#
        )
        // Pods are namespaced: asking for one without a namespace finds no such metric.
        let (_, rootPod) = await get(custom, "/apis/custom.metrics.k8s.io/v1beta2/pods/p1/http_requests_per_second")
        #expect(rootPod.contains(#""message":"the server could not find the metric http_requests_per_second for pods""#))
        let (deploymentStatus, deployment) = await get(
            custom, "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/deployments.apps/web/http_requests_per_second")
        #expect(deploymentStatus == 404)
        #expect(deployment.contains(#""message":"the server could not find the metric http_requests_per_second for deployments.apps""#))
        let (pathStatus, _) = await get(custom, "/apis/custom.metrics.k8s.io/v2/namespaces/default/pods/p1/x")
        #expect(pathStatus == 404)
    }

    @Test func externalMetricsWithLabelSelector() async throws {
        let external = try adapter().externalMetricsGroup()
        let (status, body) = await get(
            external, "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_depth", [("labelSelector", "queue=jobs")])
        #expect(status == 200)
        #expect(
            body
                == #"{"kind":"ExternalMetricValueList","apiVersion":"external.metrics.k8s.io/v1beta1","metadata":{},"items":[{"metricName":"queue_depth","metricLabels":{"queue":"jobs"},"timestamp":"1970-01-01T00:10:00Z","value":"7"}]}"#
        )
        let (_, both) = await get(external, "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_depth")
        #expect(
            both
                == #"{"kind":"ExternalMetricValueList","apiVersion":"external.metrics.k8s.io/v1beta1","metadata":{},"items":[{"metricName":"queue_depth","metricLabels":{"queue":"jobs"},"timestamp":"1970-01-01T00:10:00Z","value":"7"},{"metricName":"queue_depth","metricLabels":{"queue":"mail"},"timestamp":"1970-01-01T00:10:00Z","value":"250m"}]}"#
        )
        // The namespace is a matcher: another namespace has no series.
        let (_, empty) = await get(external, "/apis/external.metrics.k8s.io/v1beta1/namespaces/other/queue_depth")
        #expect(empty == #"{"kind":"ExternalMetricValueList","apiVersion":"external.metrics.k8s.io/v1beta1","metadata":{},"items":[]}"#)
    }

    @Test func unknownExternalMetricsUseTheAdaptersMessages() async throws {
        let external = try adapter().externalMetricsGroup()
        let (status, inDefault) = await get(external, "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/nope")
        #expect(status == 404)
        #expect(
            inDefault
                == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the metric nope for namespaces","reason":"NotFound","code":404}"#
        )
        let (_, elsewhere) = await get(external, "/apis/external.metrics.k8s.io/v1beta1/namespaces/team/nope")
        #expect(elsewhere.contains(#""message":"the server could not find the metric nope for ""#))
        let (badStatus, bad) = await get(
            external, "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_depth", [("labelSelector", "queue in ()")])
        #expect(badStatus == 400)
        #expect(bad.contains(#""reason":"BadRequest""#))
    }

    @Test func relistPicksUpNewSeries() async throws {
        let adapter = try adapter()
        let custom = adapter.customMetricsGroup()
        let (_, before) = await get(custom, "/apis/custom.metrics.k8s.io/v1beta2")
        #expect(!before.contains("errors_per_second"))
        try store.counter(
            ["__name__": "http_errors_total", "kubernetes_namespace": "default", "kubernetes_pod_name": "p1"], perSecond: 1,
            until: Self.evaluationTime)
        // http_errors_total is not selected by the walkthrough's seriesQuery; the container rule's
        // series are, so add one of those.
        try store.counter(
            ["__name__": "container_fs_writes_total", "namespace": "default", "pod": "p2", "container": "app"], perSecond: 3,
            until: Self.evaluationTime)
        let (_, stale) = await get(custom, "/apis/custom.metrics.k8s.io/v1beta2")
        #expect(!stale.contains("fs_writes"))
        await adapter.relist()
        let (_, after) = await get(custom, "/apis/custom.metrics.k8s.io/v1beta2")
        #expect(after.contains(#"{"name":"pods/fs_writes","singularName":"","namespaced":true"#))
        #expect(!after.contains("errors_per_second"))
    }
}
