import Synchronization
import VigilModel

/// A rule's `resources`: which labels of a series name which Kubernetes objects, and the label
/// for a resource when building a query (the adapter's `resourceConverter`).
final class ResourceConverter: Sendable {
    private let template: ResourceLabelTemplate?
    private let table: KubernetesResourceTable
    /// Label → resource and resource → label, seeded with the overrides and grown as the
    /// template is applied (as the adapter caches them).
    private let cache: Mutex<(labelToResource: [String: GroupResource], resourceToLabel: [GroupResource: String])>

    init(_ mapping: ResourceMapping, table: KubernetesResourceTable) throws(MetricsAdapterError) {
        self.table = table
        if mapping.template.isEmpty {
            template = nil
        } else {
            do {
                template = try ResourceLabelTemplate(mapping.template)
            } catch {
                throw MetricsAdapterError(error.message)
            }
        }
        var labelToResource: [String: GroupResource] = [:]
        var resourceToLabel: [GroupResource: String] = [:]
        for (label, override) in mapping.overrides {
            let raw = GroupResource(group: override.group, resource: override.resource)
            guard let normalized = table.normalize(raw) else {
                throw MetricsAdapterError("unable to normalize group-resource \(override): no matches for \(raw)")
            }
            labelToResource[label] = normalized
            resourceToLabel[normalized] = label
        }
        cache = Mutex((labelToResource, resourceToLabel))
    }

    /// The label naming objects of `resource` (`LabelForResource`).
    func label(for resource: GroupResource) throws(MetricsAdapterError) -> String {
        if let label = cache.withLock({ $0.resourceToLabel[resource] }) { return label }
        guard let template else {
            throw MetricsAdapterError(
                "unable to convert resource \(resource) into label: no generic resource label form specified for this metric")
        }
        guard let entry = table.entry(for: resource) else {
            throw MetricsAdapterError("unable to convert resource \(resource) into label: unable to singularize resource \(resource)")
        }
        let label = try template.label(group: resource.group, singular: entry.singular)
        cache.withLock {
            $0.resourceToLabel[resource] = label
            $0.labelToResource[label] = resource
        }
        return label
    }

    /// The resources a series' labels name, and whether its metric is namespaced
    /// (`ResourcesForSeries`): any label not naming a namespace, node or persistent volume —
    /// including a label naming nothing — makes it namespaced, exactly as the adapter decides.
    func resources(for labels: Labels) -> (resources: [GroupResource], namespaced: Bool) {
        var resources: [GroupResource] = []
        var namespaced = false
        var learned: [String: GroupResource] = [:]
        let known = cache.withLock { $0.labelToResource }
        for label in labels where label.name != Labels.metricName {
            var found: GroupResource?
            if let resource = known[label.name] ?? learned[label.name] {
                found = resource
            } else if let template, let raw = template.groupResource(forLabel: label.name), let normalized = table.normalize(raw) {
                found = normalized
                learned[label.name] = normalized
            }
            if let found { resources.append(found) }
            if !(found?.isRootScopedByAdapter ?? false) { namespaced = true }
        }
        if !learned.isEmpty {
            cache.withLock { state in
                for (label, resource) in learned { state.labelToResource[label] = resource }
            }
        }
        return (resources, namespaced)
    }
}
