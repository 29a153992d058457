import VigilConfig
import VigilModel

/// Adds a container log line's pod: `namespace`, `pod`, `container` and `node_name` as labels;
/// `pod_uid`, `container_id`, and the pod's labels and annotations (`pod_label_<name>`,
/// `pod_annotation_<name>`, from the pod cache, however many there are) as structured metadata.
/// Drops the lines of pods that opted out (``PodMetadata/excludesLogs``).
final class KubernetesStep: Sendable {
    let nodeName: String
    let pods: (any PodMetadataSource)?
    let podLabels: Bool
    let podAnnotations: Bool
    let honourExclude: Bool
    let metrics: ProcessingMetrics

    init(_ config: LogProcessorConfig.Kubernetes, services: LogProcessingServices, metrics: ProcessingMetrics) {
        nodeName = !config.nodeName.isEmpty ? config.nodeName : services.nodeName
        pods = services.pods
        podLabels = config.podLabels
        podAnnotations = config.podAnnotations
        honourExclude = config.honourExclude
        self.metrics = metrics
    }

    /// False when the line is to be dropped.
    func apply(to record: inout LogRecord, path: KubernetesPath?) -> Bool {
        if !nodeName.isEmpty { record.setLabel("node_name", nodeName) }
        guard let path else { return true }
        record.setLabel("namespace", path.namespace)
        record.setLabel("pod", path.pod)
        record.setLabel("container", path.container)
        if !path.podUID.isEmpty { record.setMetadata("pod_uid", path.podUID) }
        if !path.containerID.isEmpty { record.setMetadata("container_id", path.containerID) }
        guard let pods else { return true }
        guard let pod = pods.pod(namespace: path.namespace, name: path.pod) else {
            metrics.podUnknown.increment()
            return true
        }
        if honourExclude && pod.excludesLogs { return false }
        if path.podUID.isEmpty, !pod.uid.isEmpty { record.setMetadata("pod_uid", pod.uid) }
        if nodeName.isEmpty, !pod.nodeName.isEmpty { record.setLabel("node_name", pod.nodeName) }
        if podLabels {
            for (name, value) in pod.labels.sorted(by: { $0.key < $1.key }) {
                record.setMetadata("pod_label_" + LabelNameSanitizer.sanitize(name), value)
            }
        }
        if podAnnotations {
            for (name, value) in pod.annotations.sorted(by: { $0.key < $1.key }) {
                record.setMetadata("pod_annotation_" + LabelNameSanitizer.sanitize(name), value)
            }
        }
        return true
    }
}
