import Testing
@testable import VigilKubeMetricsAPI

/// Status objects as kube-apiserver writes them.
@Suite struct KubernetesStatusTests {
    @Test func notFoundNamesTheGroupResource() {
        let body = String(decoding: KubernetesStatus.notFound(resource: "nodes", group: "metrics.k8s.io", name: "n1").json, as: UTF8.self)
        #expect(
            body
                == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"nodes.metrics.k8s.io \"n1\" not found","reason":"NotFound","details":{"name":"n1","group":"metrics.k8s.io","kind":"nodes"},"code":404}"#
        )
    }

    @Test func unauthorizedHasNoDetails() {
        let body = String(decoding: KubernetesStatus.unauthorized.json, as: UTF8.self)
        #expect(body == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#)
    }
}
