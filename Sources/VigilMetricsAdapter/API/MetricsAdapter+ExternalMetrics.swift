import Logging
import Synchronization
public import VigilKubeMetricsAPI
import VigilModel
import VigilPromQL

extension MetricsAdapter {
    /// The external metrics group: `external.metrics.k8s.io` v1beta1, answering
    /// `/apis/external.metrics.k8s.io/v1beta1/namespaces/<ns>/<metric>?labelSelector=…` with an
    /// `ExternalMetricValueList`; the selector becomes the query's matchers.
    public func externalMetricsGroup() -> AggregatedAPIGroup {
        let group = "external.metrics.k8s.io"
        let versions = ["v1beta1"]
        return AggregatedAPIGroup(name: group, versions: versions) { [self] path, query in
            guard let segments = GroupPaths.segments(of: path, group: group) else { return GroupPaths.notFound.response }
            if segments.isEmpty { return (200, APIDiscovery.group(name: group, versions: versions)) }
            guard segments[0] == "v1beta1" else { return GroupPaths.notFound.response }
            await ensureListed()
            if segments.count == 1 {
                let metrics = registry.withLock { $0.external.keys.sorted() }
                let resources = metrics.map { APIDiscovery.Resource(name: $0, namespaced: true, kind: "ExternalMetricValueList", verbs: ["get"]) }
                return (200, APIDiscovery.resourceList(groupVersion: group + "/v1beta1", resources: resources))
            }
            guard segments.count == 4, segments[1] == "namespaces" else { return GroupPaths.notFound.response }
            do throws(KubernetesStatus) {
                let body = try await externalMetrics(namespace: String(segments[2]), metric: String(segments[3]), query: query)
                return (200, Array(body.utf8))
            } catch {
                return error.response
            }
        }
    }

    /// `GetExternalMetric` and the adapter's `metricConverter`.
    private func externalMetrics(namespace: String, metric: String, query parameters: [(String, String)]) async throws(KubernetesStatus)
        -> String
    {
        var selector = LabelSelector.everything
        if let text = parameters.last(where: { $0.0 == "labelSelector" })?.1, !text.isEmpty {
            do {
                selector = try LabelSelector(parsing: text)
            } catch {
                throw .badRequest(error.description)
            }
        }
        guard let source = registry.withLock({ $0.external[metric] }) else {
            // The adapter names the namespaces resource only for "default", and nothing otherwise.
            throw .notFound("the server could not find the metric \(metric) for \(namespace == "default" ? "namespaces" : "")")
        }
        let promQL: String
        do {
            promQL = try externalNamers[source.namer].externalQuery(
                series: source.seriesName, namespace: namespace, metricSelector: selector)
        } catch {
            logger.error("unable to generate a query for the metric", metadata: ["metric": "\(metric)", "error": "\(error)"])
            throw .internalError("unable to fetch metrics")
        }
        let result: QueryValue
        do {
            result = try await query(promQL, now())
        } catch {
            logger.error("unable to fetch metrics", metadata: ["query": "\(promQL)", "error": "\(error)"])
            throw .internalError("unable to fetch metrics")
        }
        var items: [String] = []
        func item(labels: String, timestamp: Int64, value: Double) -> String {
            "{\"metricName\":" + KubernetesJSON.quote(metric) + ",\"metricLabels\":" + labels + ",\"timestamp\":\""
                + KubernetesJSON.time(milliseconds: timestamp) + "\",\"value\":\"" + KubernetesQuantity.decimal(value) + "\"}"
        }
        switch result {
        case .vector(let samples):
            for sample in samples {
                items.append(item(labels: KubernetesJSON.stringMap(sample.labels.dictionary), timestamp: sample.timestamp, value: sample.value))
            }
        case .scalar(let timestamp, let value):
            // A scalar has no labels: Go's nil map.
            items.append(item(labels: "null", timestamp: timestamp, value: value))
        default:
            throw .internalError("encountered an unexpected query result type")
        }
        return "{\"kind\":\"ExternalMetricValueList\",\"apiVersion\":\"external.metrics.k8s.io/v1beta1\",\"metadata\":{},\"items\":["
            + items.joined(separator: ",") + "]}"
    }
}
