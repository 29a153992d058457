import Testing
import VigilKubeMetricsAPI
import VigilConfig
@testable import VigilMetricsAdapter
import VigilModel

/// Query building, naming and quantities, checked against the adapter's own rules.
struct NamingTests {
    func namer(_ yaml: String) throws -> MetricNamer {
        let config = try AdapterConfig.parse(yaml: yaml, fileName: "a.yaml")
        return try MetricNamer(config.rules[0], table: .standard)
    }

    @Test func walkthroughQuery() throws {
        let namer = try namer(WalkthroughConfig.yaml)
        #expect(namer.metricName(forSeriesNamed: "http_requests_total") == "http_requests_per_second")
        #expect(namer.accepts(seriesNamed: "http_requests_total"))
        #expect(!namer.accepts(seriesNamed: "http_requests"))
        let one = try namer.customQuery(
            series: "http_requests_total", resource: GroupResource(resource: "pods"), namespace: "default",
            metricSelector: .everything, objects: .names(["p1"]))
        #expect(one == #"sum(rate(http_requests_total{kubernetes_namespace="default",kubernetes_pod_name="p1"}[2m])) by (kubernetes_pod_name)"#)
        let several = try namer.customQuery(
            series: "http_requests_total", resource: GroupResource(resource: "pods"), namespace: "default",
            metricSelector: try LabelSelector(parsing: "verb notin (GET,LIST), code, !debug, zone!=a"),
            objects: .names(["p1", "p2"]))
        #expect(
            several
                == #"sum(rate(http_requests_total{code!="",debug="",verb!~"GET|LIST",zone!="a",kubernetes_namespace="default",kubernetes_pod_name=~"p1|p2"}[2m])) by (kubernetes_pod_name)"#
        )
    }

    @Test func templateArgumentsAndNameDefaults() throws {
        let namer = try namer(
            """
            rules:
            - seriesQuery: '{__name__=~"^container_.*"}'
              resources: {template: "kube_<<.Group>>_<<.Resource>>"}
              name: {matches: "^container_(.*)$"}
              metricsQuery: '<<.Series>>|<<.GroupBy>>|<<.GroupBySlice>>|<<index .LabelValuesByName "kube_apps_deployment">>|<<range $i, $l := .GroupBySlice>><<$l>><<end>>'
            """)
        #expect(namer.metricName(forSeriesNamed: "container_memory_rss") == "memory_rss")
        let resources = namer.resources.resources(for: ["kube_apps_deployment": "web", "kube_namespace": "ns", "kube_pod": "p"])
        // The read-back expression needs a non-empty group, so `kube_pod` names nothing — as in the adapter.
        #expect(resources.resources == [GroupResource(group: "apps", resource: "deployments")])
        #expect(resources.namespaced)
        let query = try namer.customQuery(
            series: "container_memory_rss", resource: GroupResource(group: "apps", resource: "deployments"), namespace: "",
            metricSelector: .everything, objects: .names(["web", "api"]))
        #expect(query == "container_memory_rss|kube_apps_deployment|[kube_apps_deployment]|web|api|kube_apps_deployment")
    }

    @Test func rootScopedSeriesAreNotNamespaced() throws {
        let namer = try namer("rules:\n- seriesQuery: up\n  resources: {overrides: {node: {resource: node}}}\n  metricsQuery: x\n")
        #expect(namer.resources.resources(for: ["node": "n1"]) == ([GroupResource(resource: "nodes")], false))
        // Any other label, even one naming nothing, makes the adapter call the series namespaced.
        #expect(namer.resources.resources(for: ["node": "n1", "job": "x"]).namespaced)
    }

    @Test func emptyQueryIsAnError() throws {
        let namer = try namer("rules:\n- seriesQuery: up\n")
        #expect(throws: MetricsAdapterError.self) {
            try namer.customQuery(
                series: "up", resource: GroupResource(resource: "pods"), namespace: "", metricSelector: .everything,
                objects: .names(["p"]))
        }
    }

    @Test func quantitiesInCanonicalForm() {
        #expect(KubernetesQuantity.decimal(0.5) == "500m")
        #expect(KubernetesQuantity.decimal(12) == "12")
        #expect(KubernetesQuantity.decimal(1.5) == "1500m")
        #expect(KubernetesQuantity.decimal(12000) == "12k")
        #expect(KubernetesQuantity.decimal(1500) == "1500")
        #expect(KubernetesQuantity.decimal(0) == "0")
        #expect(KubernetesQuantity.decimal(-0.25) == "-250m")
        #expect(KubernetesQuantity.decimal(0.0001) == "0")
        #expect(KubernetesQuantity.decimal(2.5e9) == "2500M")
        #expect(KubernetesQuantity.decimal(1e15) == "1P")
        #expect(KubernetesQuantity.decimal(.infinity) == "-9223372036854775808m")
    }

    @Test func labelSelectorGrammar() throws {
        let selector = try LabelSelector(parsing: " b in (y, x) ,a=1,!c, d, e!=, f==g, h>5")
        #expect(selector.description == "a=1,b in (x,y),!c,d,e!=,f==g,h>5")
        for bad in ["a in ()", "a in (x", "=a", "a b", "a=b=c", "a in x", "-a=b", "h>x", "a,,b"] {
            #expect(throws: LabelSelector.ParseError.self, "\(bad)") { try LabelSelector(parsing: bad) }
        }
        #expect(try LabelSelector(parsing: "").isEmpty)
    }
}
