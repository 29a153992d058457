import Testing
import VigilKubernetes
import VigilTestSupport

/// Resources named at run time (prometheus-adapter's rules, metrics selectors): found through the
/// discovery documents, listed by metadata with the API server applying the selectors.
@Suite struct KubernetesDiscoveryClientTests {
    static let deployment = #"""
        {"kind": "Deployment", "apiVersion": "apps/v1",
         "metadata": {"name": "web", "namespace": "shop", "labels": {"tier": "front"}},
         "spec": {"replicas": 2}}
        """#

    @Test func resourcesAreFoundByPluralSingularOrKind() async throws {
        let server = FakeKubernetesAPIServer()
        try await server.run { url in
            try await KubernetesClientTests.withClient(url) { client in
                let pods = try await client.discoverResource(group: "", name: "pod")
                #expect(pods == KubernetesResource(group: "", version: "v1", plural: "pods", namespaced: true))
                let nodes = try await client.discoverResource(group: "", name: "Node")
                #expect(nodes == KubernetesResource(group: "", version: "v1", plural: "nodes", namespaced: false))
                let deployments = try await client.discoverResource(group: "apps", name: "deployments")
                #expect(deployments == KubernetesResource(group: "apps", version: "v1", plural: "deployments", namespaced: true))
                // Remembered: asking again reads no document.
                let before = server.requests.count
                _ = try await client.discoverResource(group: "apps", name: "deployments")
                #expect(server.requests.count == before)
                await #expect(throws: KubernetesError.self) { try await client.discoverResource(group: "", name: "gizmos") }
                await #expect(throws: KubernetesError.self) { try await client.discoverResource(group: "nope.example.com", name: "things") }
            }
        }
    }

    @Test func metadataListsCarryTheSelectorsAndFollowPages() async throws {
        let server = FakeKubernetesAPIServer()
        for index in 0..<5 {
            try server.apply(KubernetesFixtures.pod("p\(index)", ip: "10.1.0.\(index)", labels: ["app": index % 2 == 0 ? "web" : "db"]))
        }
        try server.apply(KubernetesFixtures.pod("elsewhere", ip: "10.2.0.1", namespace: "other", labels: ["app": "web"]))
        try server.apply(Self.deployment)
        try await server.run { url in
            try await KubernetesClientTests.withClient(url) { client in
                let pods = try await client.discoverResource(group: "", name: "pods")
                let web = try await client.listMetadata(pods, namespace: "shop", options: ListOptions(labelSelector: "app=web", limit: 2))
                #expect(web.map(\.name) == ["p0", "p2", "p4"])
                #expect(server.requests.contains("/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb&limit=2"))
                let everywhere = try await client.listMetadata(pods, namespace: nil, options: ListOptions(labelSelector: "app=web"))
                #expect(Set(everywhere.map { $0.namespace + "/" + $0.name }) == ["shop/p0", "shop/p2", "shop/p4", "other/elsewhere"])
                let deployments = try await client.discoverResource(group: "apps", name: "deployment")
                let front = try await client.listMetadata(deployments, namespace: "shop", options: ListOptions(labelSelector: "tier=front"))
                #expect(front.map(\.name) == ["web"])
                let none = try await client.listMetadata(deployments, namespace: "shop", options: ListOptions(labelSelector: "tier=back"))
                #expect(none.isEmpty)
            }
        }
    }
}
