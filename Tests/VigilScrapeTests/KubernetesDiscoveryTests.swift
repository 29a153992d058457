import Logging
import Testing
import VigilConfig
@testable import VigilDiscovery
import VigilKubernetes
import VigilModel
@testable import VigilScrape
import VigilTestSupport

/// `kubernetes_sd_configs` against the fake API server serving ``KubernetesFixtures``: every
/// role's groups with Prometheus 2.42's labels and sources, namespaces, selectors, metadata, and
/// the customary annotation-driven prometheus.yml.
@Suite struct KubernetesDiscovering {
    static func labels(_ pairs: [String: String]) -> Labels {
        var builder = LabelsBuilder()
        for (name, value) in pairs { builder.set(name, value) }
        return builder.build()
    }

    static let m = "__meta_kubernetes_"

    /// Runs a discovery of `yaml` (an SD config without `api_server`, which is added) against a
    /// fake server holding the fixture cluster, while `body` runs.
    func withDiscovery(
        _ yaml: String, objects: [String] = KubernetesFixtures.cluster,
        _ body: (FakeKubernetesAPIServer, Recorder<[TargetGroup]>) async throws -> Void
    ) async throws {
        let server = FakeKubernetesAPIServer()
        for object in objects { try server.apply(object) }
        try await server.run { url in
            let config = try ConfigDecoder.decode(KubernetesSDConfig.self, fromYAML: "api_server: \(url)\n" + yaml, fileName: "sd.yml")
            let informers = KubernetesInformers(
                settings: InformerSettings(backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(100))),
                logger: quietLogger)
            let discovery = KubernetesDiscovery(config, informers: informers, logger: quietLogger)
            do {
                try await discovery.whileRunning { sent in try await body(server, sent) }
            } catch {
                await informers.shutdown()
                throw error
            }
            await informers.shutdown()
        }
    }

    static let webPodLabels: [String: String] = [
        m + "namespace": "shop",
        m + "pod_annotation_prometheus_io_path": "/metrics/app",
        m + "pod_annotation_prometheus_io_port": "8080",
        m + "pod_annotation_prometheus_io_scrape": "true",
        m + "pod_annotationpresent_prometheus_io_path": "true",
        m + "pod_annotationpresent_prometheus_io_port": "true",
        m + "pod_annotationpresent_prometheus_io_scrape": "true",
        m + "pod_controller_kind": "ReplicaSet",
        m + "pod_controller_name": "web-7d4b9c",
        m + "pod_host_ip": "10.0.0.11",
        m + "pod_ip": "10.244.1.7",
        m + "pod_label_app_kubernetes_io_name": "web",
        m + "pod_label_pod_template_hash": "7d4b9c",
        m + "pod_labelpresent_app_kubernetes_io_name": "true",
        m + "pod_labelpresent_pod_template_hash": "true",
        m + "pod_name": "web-7d4b9c-x2x8k",
        m + "pod_node_name": "node-a",
        m + "pod_phase": "Running",
        m + "pod_ready": "true",
        m + "pod_uid": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
    ]

    @Test func podRoleGivesOneTargetPerContainerPort() async throws {
        try await withDiscovery("role: pod\n") { _, sent in
            let groups = try #require(await sent.waitForLast { $0.count == 3 })
            #expect(groups.map(\.source) == ["pod/shop/db-0", "pod/shop/pending-1", "pod/shop/web-7d4b9c-x2x8k"])
            // No IP yet: an empty group, as Prometheus sends.
            #expect(groups[1] == TargetGroup(targets: [], source: "pod/shop/pending-1"))
            let web = groups[2]
            #expect(web.labels == Self.labels(Self.webPodLabels))
            let c = Self.m + "pod_container_"
            #expect(web.targets == [
                Self.labels([
                    "__address__": "10.244.1.7:8080", c + "name": "app", c + "id": "containerd://bbb222",
                    c + "image": "registry.example/web:1.4", c + "port_number": "8080", c + "port_name": "http",
                    c + "port_protocol": "TCP", c + "init": "false",
                ]),
                Self.labels([
                    "__address__": "10.244.1.7:9090", c + "name": "app", c + "id": "containerd://bbb222",
                    c + "image": "registry.example/web:1.4", c + "port_number": "9090", c + "port_name": "admin",
                    c + "port_protocol": "TCP", c + "init": "false",
                ]),
                Self.labels([
                    "__address__": "10.244.1.7", c + "name": "sidecar", c + "id": "containerd://ccc333",
                    c + "image": "registry.example/proxy:2.0", c + "init": "false",
                ]),
                Self.labels([
                    "__address__": "10.244.1.7", c + "name": "migrate", c + "id": "containerd://aaa111",
                    c + "image": "registry.example/web-migrate:1.4", c + "init": "true",
                ]),
            ])
            let db = groups[0]
            #expect(db.labels[Self.m + "pod_ready"] == "false")
            #expect(db.labels[Self.m + "pod_controller_kind"] == "StatefulSet")
        }
    }

    @Test func podRoleFollowsChanges() async throws {
        try await withDiscovery("role: pod\n") { server, sent in
            _ = try #require(await sent.waitForLast { $0.count == 3 })
            try server.delete(apiVersion: "v1", kind: "Pod", namespace: "shop", name: "db-0")
            try server.apply(KubernetesFixtures.pod("new", ip: "10.244.1.20"))
            let groups = try #require(await sent.waitForLast { $0.map(\.source).contains("pod/shop/new") && $0.count == 3 })
            #expect(groups.map(\.source) == ["pod/shop/new", "pod/shop/pending-1", "pod/shop/web-7d4b9c-x2x8k"])
            // Losing the watch and the history changes nothing the discovery reports.
            server.closeWatches()
            server.compact()
            try server.apply(KubernetesFixtures.pod("later", ip: "10.244.1.21"))
            let after = try #require(await sent.waitForLast { $0.count == 4 })
            #expect(after.map(\.source).contains("pod/shop/later"))
        }
    }

    @Test func attachMetadataAddsTheNodeLabels() async throws {
        try await withDiscovery("role: pod\nattach_metadata: {node: true}\n") { _, sent in
            let groups = try #require(await sent.waitForLast { $0.count == 3 })
            let web = try #require(groups.first { $0.source == "pod/shop/web-7d4b9c-x2x8k" })
            var expected = Self.webPodLabels
            expected[Self.m + "node_name"] = "node-a"
            expected[Self.m + "node_label_kubernetes_io_hostname"] = "node-a"
            expected[Self.m + "node_label_kubernetes_io_os"] = "linux"
            expected[Self.m + "node_label_topology_kubernetes_io_zone"] = "eu-1a"
            expected[Self.m + "node_labelpresent_kubernetes_io_hostname"] = "true"
            expected[Self.m + "node_labelpresent_kubernetes_io_os"] = "true"
            expected[Self.m + "node_labelpresent_topology_kubernetes_io_zone"] = "true"
            #expect(web.labels == Self.labels(expected))
        }
    }

    @Test func nodeRoleTargetsTheKubelet() async throws {
        try await withDiscovery("role: node\n") { _, sent in
            let groups = try #require(await sent.waitForLast { $0.count == 1 })
            let node = groups[0]
            #expect(node.source == "node/node-a")
            #expect(node.labels == Self.labels([
                Self.m + "node_name": "node-a", Self.m + "node_provider_id": "aws:///eu-1a/i-0abc",
                Self.m + "node_label_kubernetes_io_hostname": "node-a", Self.m + "node_labelpresent_kubernetes_io_hostname": "true",
                Self.m + "node_label_kubernetes_io_os": "linux", Self.m + "node_labelpresent_kubernetes_io_os": "true",
                Self.m + "node_label_topology_kubernetes_io_zone": "eu-1a",
                Self.m + "node_labelpresent_topology_kubernetes_io_zone": "true",
                Self.m + "node_annotation_node_alpha_kubernetes_io_ttl": "0",
                Self.m + "node_annotationpresent_node_alpha_kubernetes_io_ttl": "true",
                Self.m + "node_annotation_volumes_kubernetes_io_controller_managed_attach_detach": "true",
                Self.m + "node_annotationpresent_volumes_kubernetes_io_controller_managed_attach_detach": "true",
            ]))
            #expect(node.targets == [Self.labels([
                "__address__": "10.0.0.11:10250", "instance": "node-a",
                Self.m + "node_address_InternalIP": "10.0.0.11", Self.m + "node_address_Hostname": "node-a",
            ])])
        }
    }

    static let webServiceLabels: [String: String] = [
        m + "namespace": "shop", m + "service_name": "web",
        m + "service_label_app_kubernetes_io_name": "web", m + "service_labelpresent_app_kubernetes_io_name": "true",
        m + "service_annotation_prometheus_io_probe": "true", m + "service_annotationpresent_prometheus_io_probe": "true",
    ]

    @Test func serviceRoleTargetsEachPortByDNSName() async throws {
        try await withDiscovery("role: service\n") { _, sent in
            let groups = try #require(await sent.waitForLast { $0.count == 1 })
            #expect(groups[0].source == "svc/shop/web")
            #expect(groups[0].labels == Self.labels(Self.webServiceLabels))
            #expect(groups[0].targets == [Self.labels([
                "__address__": "web.shop.svc:80", Self.m + "service_port_name": "http", Self.m + "service_port_number": "80",
                Self.m + "service_port_protocol": "TCP", Self.m + "service_type": "ClusterIP",
                Self.m + "service_cluster_ip": "10.96.0.20",
            ])])
        }
    }

    /// The pod labels endpoints merge into a target backed by the web pod.
    static var webPodTargetLabels: [String: String] {
        var labels = webPodLabels
        labels[m + "namespace"] = nil
        return labels
    }

    @Test func endpointsRoleMergesServiceAndPod() async throws {
        try await withDiscovery("role: endpoints\n") { _, sent in
            let groups = try #require(await sent.waitForLast { $0.count == 1 && $0[0].targets.count == 2 })
            let group = groups[0]
            #expect(group.source == "endpoints/shop/web")
            var groupLabels = Self.webServiceLabels
            groupLabels[Self.m + "endpoints_name"] = "web"
            groupLabels[Self.m + "endpoints_label_app_kubernetes_io_name"] = "web"
            groupLabels[Self.m + "endpoints_labelpresent_app_kubernetes_io_name"] = "true"
            #expect(group.labels == Self.labels(groupLabels))
            var endpoint = Self.webPodTargetLabels
            endpoint.merge([
                "__address__": "10.244.1.7:8080", Self.m + "endpoint_port_name": "http", Self.m + "endpoint_port_protocol": "TCP",
                Self.m + "endpoint_ready": "true", Self.m + "endpoint_address_target_kind": "Pod",
                Self.m + "endpoint_address_target_name": "web-7d4b9c-x2x8k", Self.m + "endpoint_node_name": "node-a",
                Self.m + "pod_container_name": "app", Self.m + "pod_container_image": "registry.example/web:1.4",
                Self.m + "pod_container_port_name": "http", Self.m + "pod_container_port_number": "8080",
                Self.m + "pod_container_port_protocol": "TCP",
            ]) { $1 }
            var uncovered = Self.webPodTargetLabels
            uncovered.merge([
                "__address__": "10.244.1.7:9090", Self.m + "pod_container_name": "app",
                Self.m + "pod_container_image": "registry.example/web:1.4", Self.m + "pod_container_port_name": "admin",
                Self.m + "pod_container_port_number": "9090", Self.m + "pod_container_port_protocol": "TCP",
            ]) { $1 }
            #expect(group.targets == [Self.labels(endpoint), Self.labels(uncovered)])
        }
    }

    @Test func endpointSliceRoleMergesServiceAndPod() async throws {
        try await withDiscovery("role: endpointslice\n") { _, sent in
            let groups = try #require(await sent.waitForLast { $0.count == 1 && $0[0].targets.count == 2 })
            let group = groups[0]
            #expect(group.source == "endpointslice/shop/web-abcde")
            var groupLabels = Self.webServiceLabels
            groupLabels[Self.m + "endpointslice_name"] = "web-abcde"
            groupLabels[Self.m + "endpointslice_address_type"] = "IPv4"
            #expect(group.labels == Self.labels(groupLabels))
            let s = Self.m + "endpointslice_"
            var endpoint = Self.webPodTargetLabels
            endpoint.merge([
                "__address__": "10.244.1.7:8080", s + "port_name": "http", s + "port_protocol": "TCP", s + "port": "8080",
                s + "endpoint_conditions_ready": "true", s + "endpoint_conditions_serving": "true",
                s + "endpoint_conditions_terminating": "false", s + "address_target_kind": "Pod",
                s + "address_target_name": "web-7d4b9c-x2x8k",
                Self.m + "pod_container_name": "app", Self.m + "pod_container_image": "registry.example/web:1.4",
                Self.m + "pod_container_port_name": "http", Self.m + "pod_container_port_number": "8080",
                Self.m + "pod_container_port_protocol": "TCP",
            ]) { $1 }
            #expect(group.targets.first == Self.labels(endpoint))
            #expect(group.targets.last?["__address__"] == "10.244.1.7:9090")
        }
    }

    @Test func ingressRoleTargetsEachPathWithItsScheme() async throws {
        try await withDiscovery("role: ingress\n") { _, sent in
            let groups = try #require(await sent.waitForLast { $0.count == 1 })
            let group = groups[0]
            #expect(group.source == "ingress/shop/web")
            #expect(group.labels == Self.labels([
                Self.m + "namespace": "shop", Self.m + "ingress_name": "web", Self.m + "ingress_class_name": "nginx",
                Self.m + "ingress_label_app_kubernetes_io_name": "web", Self.m + "ingress_labelpresent_app_kubernetes_io_name": "true",
            ]))
            let i = Self.m + "ingress_"
            #expect(group.targets == [
                Self.labels(["__address__": "shop.example.com", i + "scheme": "https", i + "host": "shop.example.com", i + "path": "/"]),
                Self.labels(["__address__": "shop.example.com", i + "scheme": "https", i + "host": "shop.example.com", i + "path": "/api"]),
                Self.labels(["__address__": "plain.example.org", i + "scheme": "http", i + "host": "plain.example.org", i + "path": "/"]),
            ])
        }
    }

    @Test func namespacesAndSelectorsNarrowTheWatches() async throws {
        let objects = KubernetesFixtures.cluster + [
            KubernetesFixtures.pod("a", ip: "10.9.0.1", namespace: "other", labels: ["team": "x"]),
            KubernetesFixtures.pod("b", ip: "10.9.0.2", namespace: "other", labels: ["team": "y"]),
        ]
        let yaml = "role: pod\nnamespaces: {names: [other]}\nselectors: [{role: pod, label: team=x, field: status.phase=Running}]\n"
        try await withDiscovery(yaml, objects: objects) { server, sent in
            let groups = try #require(await sent.waitForLast { $0.count == 1 })
            #expect(groups.map(\.source) == ["pod/other/a"])
            let requests = server.requests
            #expect(requests.allSatisfy { $0.hasPrefix("/api/v1/namespaces/other/pods?") })
            #expect(requests.allSatisfy { $0.contains("labelSelector=team%3Dx") && $0.contains("fieldSelector=status.phase%3DRunning") })
        }
    }

    @Test func twoConfigsOfOneServerShareTheirWatches() async throws {
        let server = FakeKubernetesAPIServer()
        for object in KubernetesFixtures.cluster { try server.apply(object) }
        try await server.run { url in
            let informers = KubernetesInformers(logger: quietLogger)
            let pods = try ConfigDecoder.decode(KubernetesSDConfig.self, fromYAML: "api_server: \(url)\nrole: pod", fileName: "a.yml")
            let endpoints = try ConfigDecoder.decode(KubernetesSDConfig.self, fromYAML: "api_server: \(url)\nrole: endpoints", fileName: "b.yml")
            try await KubernetesDiscovery(pods, informers: informers, logger: quietLogger).whileRunning { podGroups in
                try await KubernetesDiscovery(endpoints, informers: informers, logger: quietLogger).whileRunning { endpointGroups in
                    let both = await eventually { podGroups.last?.count == 3 && endpointGroups.last?.first?.targets.count == 2 }
                    #expect(both)
                    // pods (shared), services, endpoints: three watches, not four. A watch opens
                    // just after its list answers, so the groups can arrive before the last one.
                    let threeOpen = await eventually { server.openWatches >= 3 }
                    #expect(threeOpen)
                    #expect(server.openWatches == 3)
                    let podWatches = server.requests.filter { $0.hasPrefix("/api/v1/pods?") && $0.contains("watch=true") }
                    #expect(podWatches.count == 1)
                }
            }
            await informers.shutdown()
        }
    }

    @Test func theCustomaryAnnotationConfigWorksUnchanged() async throws {
        let server = FakeKubernetesAPIServer()
        for object in KubernetesFixtures.cluster { try server.apply(object) }
        try await server.run { url in
            // The kubernetes-pods job of Prometheus's example config, with api_server added
            // because this test runs outside a cluster.
            let yaml = """
                scrape_configs:
                  - job_name: kubernetes-pods
                    kubernetes_sd_configs:
                      - role: pod
                        api_server: \(url)
                    relabel_configs:
                      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
                        action: keep
                        regex: true
                      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scheme]
                        action: replace
                        regex: (https?)
                        target_label: __scheme__
                      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
                        action: replace
                        target_label: __metrics_path__
                        regex: (.+)
                      - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
                        action: replace
                        regex: ([^:]+)(?::\\d+)?;(\\d+)
                        replacement: $1:$2
                        target_label: __address__
                      - action: labelmap
                        regex: __meta_kubernetes_pod_label_(.+)
                      - source_labels: [__meta_kubernetes_namespace]
                        action: replace
                        target_label: namespace
                      - source_labels: [__meta_kubernetes_pod_name]
                        action: replace
                        target_label: pod
                      - source_labels: [__meta_kubernetes_pod_phase]
                        regex: Pending|Succeeded|Failed|Completed
                        action: drop
                """
            let config = try PrometheusConfig.parse(yaml: yaml)
            let job = try #require(config.scrapeConfigs.first)
            let informers = KubernetesInformers(logger: quietLogger)
            let discovery = KubernetesDiscovery(try #require(job.serviceDiscovery.kubernetesSDConfigs.first), informers: informers, logger: quietLogger)
            try await discovery.whileRunning { sent in
                let groups = try #require(await sent.waitForLast { $0.count == 3 })
                let relabeler = Relabeler(job.relabelConfigs)
                let populations = groups.flatMap { ScrapeTarget.targets(from: $0, config: job, relabeler: relabeler) }
                var active: [ScrapeTarget] = []
                var dropped = 0
                for population in populations {
                    switch population {
                    // Prometheus keeps one target per label set (its hash), as the scrape pool does.
                    case .active(let target): if !active.contains(where: { $0.labels == target.labels }) { active.append(target) }
                    case .dropped: dropped += 1
                    case .invalid(let message): Issue.record("invalid target: \(message)")
                    }
                }
                // The web pod's four container targets collapse into one scrape of the annotated
                // port and path; db-0 is not annotated and is dropped; the pending pod has none.
                #expect(active.count == 1)
                #expect(dropped == 1)
                let target = try #require(active.first)
                #expect(target.url == "http://10.244.1.7:8080/metrics/app")
                #expect(target.publicLabels == Self.labels([
                    "app_kubernetes_io_name": "web", "pod_template_hash": "7d4b9c", "instance": "10.244.1.7:8080",
                    "job": "kubernetes-pods", "namespace": "shop", "pod": "web-7d4b9c-x2x8k",
                ]))
            }
            await informers.shutdown()
        }
    }

    @Test func theDiscoveryManagerRunsKubernetesConfigs() async throws {
        let server = FakeKubernetesAPIServer()
        for object in KubernetesFixtures.cluster { try server.apply(object) }
        try await server.run { url in
            let configs = try ConfigDecoder.decode(
                ServiceDiscoveryConfigs.self, fromYAML: "kubernetes_sd_configs: [{role: service, api_server: '\(url)'}]", fileName: "j.yml")
            let manager = DiscoveryManager(logger: quietLogger, updateInterval: .milliseconds(10))
            let updates = Recorder<[String: [TargetGroup]]>()
            let running = Task { await manager.run { updates.record($0) } }
            await manager.apply(["services": configs])
            let found = await updates.waitForLast { $0["services"]?.first?.source == "svc/shop/web" }
            #expect(found != nil)
            await manager.shutdown()
            await running.value
        }
    }

    @Test func prometheusHostnamePatterns() {
        #expect(KubernetesTargets.matchesHostnamePattern("*.example.com", "shop.example.com"))
        #expect(!KubernetesTargets.matchesHostnamePattern("*.example.com", "a.shop.example.com"))
        #expect(!KubernetesTargets.matchesHostnamePattern("*.example.com", "example.com"))
        #expect(KubernetesTargets.matchesHostnamePattern("exact.example.com", "exact.example.com"))
        #expect(KubernetesMetaLabels.sanitize("app.kubernetes.io/name-x") == "app_kubernetes_io_name_x")
    }
}
