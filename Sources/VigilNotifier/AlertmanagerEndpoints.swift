import VigilConfig
import VigilDiscovery
import VigilModel
import VigilScrape

/// The Alertmanagers one `alertmanagers` entry resolves to: discovered targets relabeled as
/// Prometheus's `AlertmanagerFromGroup` does, deduplicated by URL.
public struct AlertmanagerEndpoints: Sendable, Hashable {
    /// The URLs alerts are posted to, in discovery order.
    public var active: [String] = []
    /// The URLs of targets `relabel_configs` dropped, built from their labels before relabeling.
    public var dropped: [String] = []

    static let schemeLabel = "__scheme__"
    static let pathLabel = "__alerts_path__"

    /// No endpoints.
    init() {}

    /// The endpoints of `groups` under `config`.
    init(groups: [TargetGroup], config: AlertmanagerConfig) {
        let relabeler = Relabeler(config.relabelConfigs)
        var seen = Set<String>()
        for group in groups {
            for target in group.targets {
                var builder = LabelsBuilder(target)
                builder.set(Self.schemeLabel, config.scheme)
                builder.set(Self.pathLabel, Self.postPath(prefix: config.pathPrefix, version: config.apiVersion))
                for label in group.labels where target[label.name] == nil {
                    builder.set(label.name, label.value)
                }
                let labels = builder.build()
                guard let relabeled = relabeler.process(labels) else {
                    dropped.append(Self.url(labels))
                    continue
                }
                guard let address = relabeled["__address__"], !address.isEmpty, !address.contains("/") else { continue }
                let url = Self.url(relabeled)
                if seen.insert(url).inserted { active.append(url) }
            }
        }
    }

    /// `path.Join("/", prefix, "/api/VERSION/alerts")`: one slash between parts, none doubled.
    static func postPath(prefix: String, version: AlertmanagerAPIVersion) -> String {
        let parts = (prefix + "/api/" + version.rawValue + "/alerts").split(separator: "/", omittingEmptySubsequences: true)
        var cleaned: [Substring] = []
        for part in parts {
            switch part {
            case ".": continue
            case "..": if !cleaned.isEmpty { cleaned.removeLast() }
            default: cleaned.append(part)
            }
        }
        return "/" + cleaned.joined(separator: "/")
    }

    private static func url(_ labels: Labels) -> String {
        (labels[schemeLabel] ?? "http") + "://" + (labels["__address__"] ?? "") + (labels[pathLabel] ?? "")
    }
}
