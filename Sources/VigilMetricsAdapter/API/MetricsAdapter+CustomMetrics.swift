import Logging
import Synchronization
public import VigilKubeMetricsAPI
import VigilModel
import VigilPromQL

extension MetricsAdapter {
    /// The custom metrics group: `custom.metrics.k8s.io`, v1beta2 (preferred) and v1beta1.
    ///
    /// Paths below `/apis/custom.metrics.k8s.io/<version>/`: `namespaces/<ns>/<resource>/<name>/<metric>`,
    /// `<resource>/<name>/<metric>` (root-scoped objects such as nodes and namespaces),
    /// `namespaces/<ns>/metrics/<metric>` (the namespace itself); `<name>` may be `*`, with
    /// `labelSelector`; every path takes `metricLabelSelector`.
    public func customMetricsGroup() -> AggregatedAPIGroup {
        let group = "custom.metrics.k8s.io"
        let versions = ["v1beta2", "v1beta1"]
        return AggregatedAPIGroup(name: group, versions: versions) { [self] path, query in
            guard let segments = GroupPaths.segments(of: path, group: group) else { return GroupPaths.notFound.response }
            if segments.isEmpty { return (200, APIDiscovery.group(name: group, versions: versions)) }
            let version = String(segments[0])
            guard versions.contains(version) else { return GroupPaths.notFound.response }
            await ensureListed()
            let rest = segments.dropFirst().map(String.init)
            if rest.isEmpty {
                let metrics = registry.withLock { $0.custom.keys.sorted() }
                let resources = metrics.map {
                    APIDiscovery.Resource(
                        name: $0.resource.description + "/" + $0.metric, namespaced: $0.namespaced, kind: "MetricValueList", verbs: ["get"])
                }
                return (200, APIDiscovery.resourceList(groupVersion: group + "/" + version, resources: resources))
            }
            let request: CustomMetricRequest
            switch rest.count {
            case 3:
                request = CustomMetricRequest(namespace: "", resource: rest[0], name: rest[1], metric: rest[2])
            case 4 where rest[0] == "namespaces" && rest[2] == "metrics":
                request = CustomMetricRequest(namespace: "", resource: "namespaces", name: rest[1], metric: rest[3])
            case 5 where rest[0] == "namespaces":
                request = CustomMetricRequest(namespace: rest[1], resource: rest[2], name: rest[3], metric: rest[4])
            default:
                return GroupPaths.notFound.response
            }
            do throws(KubernetesStatus) {
                let items = try await customMetrics(request, query: query)
                return (200, Array(Self.metricValueList(items, version: version).utf8))
            } catch {
                return error.response
            }
        }
    }

    struct CustomMetricRequest {
        var namespace: String
        var resource: String
        var name: String
        var metric: String

        /// `schema.ParseGroupResource`: `deployments.apps` → resource `deployments`, group `apps`.
        var groupResource: GroupResource {
            guard let dot = resource.firstIndex(of: ".") else { return GroupResource(resource: resource) }
            return GroupResource(group: String(resource[resource.index(after: dot)...]), resource: String(resource[..<dot]))
        }
    }

    /// One item of a `MetricValueList`, in the internal (v1beta2) shape.
    struct MetricValue {
        var kind: String
        var apiVersion: String
        var namespace: String
        var name: String
        var metric: String
        var selector: LabelSelector
        var timestamp: Int64
        var value: Double
    }

    /// `GetMetricByName` or `GetMetricBySelector`, with the adapter's errors.
    private func customMetrics(_ request: CustomMetricRequest, query parameters: [(String, String)]) async throws(KubernetesStatus)
        -> [MetricValue]
    {
        let rawResource = request.groupResource
        var metricSelector = LabelSelector.everything
        if let text = parameters.last(where: { $0.0 == "metricLabelSelector" })?.1, !text.isEmpty {
            do {
                metricSelector = try LabelSelector(parsing: text)
            } catch {
                throw .internalError(error.description)
            }
        }
        let labelSelector = parameters.last(where: { $0.0 == "labelSelector" })?.1 ?? ""
        let notFound = KubernetesStatus.notFound("the server could not find the metric \(request.metric) for \(rawResource)")
        guard let resource = table.normalize(rawResource), let entry = table.entry(for: resource) else { throw notFound }
        let key = MetricRegistry.CustomMetric(resource: resource, namespaced: !request.namespace.isEmpty, metric: request.metric)
        guard let source = registry.withLock({ $0.custom[key] }) else { throw notFound }
        let namer = customNamers[source.namer]

        // Which objects: one by name, or those the selector picks.
        let objects: MetricNamer.Objects
        if request.name != "*" {
            objects = .names([request.name])
        } else if let lister = self.objects {
            do {
                objects = .names(try await lister(resource, request.namespace, labelSelector))
            } catch {
                logger.error("unable to list matching resource names", metadata: ["error": "\(error)"])
                throw .internalError("unable to list matching resources")
            }
        } else if labelSelector.isEmpty {
            objects = .any
        } else {
            logger.error("a labelSelector needs an object lister, and none is configured")
            throw .internalError("unable to list matching resources")
        }

        let promQL: String
        let resourceLabel: String
        do {
            promQL = try namer.customQuery(
                series: source.seriesName, resource: resource, namespace: request.namespace, metricSelector: metricSelector,
                objects: objects)
            resourceLabel = try namer.label(for: resource)
        } catch {
            logger.error("unable to construct query", metadata: ["metric": "\(request.metric)", "error": "\(error)"])
            throw notFound
        }
        let time = now()
        let samples: [VectorSample]
        do {
            guard case .vector(let vector) = try await query(promQL, time) else {
                logger.error("unexpected results from the query: expected vector", metadata: ["query": "\(promQL)"])
                throw KubernetesStatus.internalError("unable to fetch metrics")
            }
            samples = vector
        } catch let status as KubernetesStatus {
            throw status
        } catch {
            logger.error("unable to fetch metrics", metadata: ["query": "\(promQL)", "error": "\(error)"])
            throw .internalError("unable to fetch metrics")
        }
        // `MatchValuesToNames`: the object's name is its resource label; a later sample wins.
        var values: [String: Double] = [:]
        var order: [String] = []
        for sample in samples {
            let name = sample.labels[resourceLabel] ?? ""
            if values.updateValue(sample.value, forKey: name) == nil { order.append(name) }
        }
        func item(_ name: String, _ value: Double) -> MetricValue {
            MetricValue(
                kind: entry.kind, apiVersion: entry.group + "/" + entry.version, namespace: request.namespace, name: name,
                metric: request.metric, selector: metricSelector, timestamp: time, value: value)
        }
        switch objects {
        case .names(let names) where request.name != "*":
            guard !samples.isEmpty, let value = values[names[0]] else {
                throw .notFound("the server could not find the metric \(request.metric) for \(rawResource) \(request.name)")
            }
            return [item(names[0], value)]
        case .names(let names):
            return names.compactMap { name in values[name].map { item(name, $0) } }
        case .any:
            return order.sorted().map { item($0, values[$0]!) }
        }
    }

    /// A `MetricValueList` in `version`'s shape.
    static func metricValueList(_ items: [MetricValue], version: String) -> String {
        let encoded = items.map { item -> String in
            var out = "{\"describedObject\":{\"kind\":" + KubernetesJSON.quote(item.kind)
            if !item.namespace.isEmpty { out += ",\"namespace\":" + KubernetesJSON.quote(item.namespace) }
            out += ",\"name\":" + KubernetesJSON.quote(item.name) + ",\"apiVersion\":" + KubernetesJSON.quote(item.apiVersion) + "}"
            let selector = item.selector.isEmpty ? nil : KubernetesJSON.labelSelector(item.selector)
            let timestamp = ",\"timestamp\":\"" + KubernetesJSON.time(milliseconds: item.timestamp) + "\""
            let value = ",\"value\":\"" + Self.quantity(item.value) + "\""
            if version == "v1beta1" {
                out += ",\"metricName\":" + KubernetesJSON.quote(item.metric) + timestamp + value
                out += ",\"selector\":" + (selector ?? "null")
            } else {
                out += ",\"metric\":{\"name\":" + KubernetesJSON.quote(item.metric)
                if let selector { out += ",\"selector\":" + selector }
                out += "}" + timestamp + value
            }
            return out + "}"
        }
        return "{\"kind\":\"MetricValueList\",\"apiVersion\":\"custom.metrics.k8s.io/\(version)\",\"metadata\":{},\"items\":["
            + encoded.joined(separator: ",") + "]}"
    }

    /// `metricFor`: NaN is reported as 0, other values in thousandths.
    static func quantity(_ value: Double) -> String {
        value.isNaN ? "0" : KubernetesQuantity.decimal(value)
    }
}
