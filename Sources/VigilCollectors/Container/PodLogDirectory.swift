/// Pod and container names from the kubelet's log layout on the node, which every CRI runtime
/// writes the same way:
///
/// - `/var/log/pods/<namespace>_<pod>_<uid>/<container>/` — one directory per pod;
/// - `/var/log/containers/<pod>_<namespace>_<container>-<id>.log` — one symlink per container.
///
/// Namespaces, pod names and container names cannot contain `_` (they are DNS names), so the
/// split is unambiguous. Images are not in the layout: `image` stays empty until a pod list from
/// the API server fills it.
public struct PodLogDirectory: PodMetadataSource {
    /// The directory holding `pods/` and `containers/` (`/var/log`, under the rootfs).
    public let root: String

    /// Reads the layout under `root`.
    public init(root: String) {
        self.root = root
    }

    /// The pods and containers the log directories name now; empty when they are absent.
    public func podDirectory() -> PodDirectory {
        var directory = PodDirectory()
        if let names = try? Directory.entries(NodePaths.join(root, "pods")) {
            for name in names {
                let parts = name.split(separator: "_", omittingEmptySubsequences: false)
                guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else { continue }
                directory.pods[String(parts[2])] = PodDirectory.Pod(namespace: String(parts[0]), name: String(parts[1]))
            }
        }
        if let names = try? Directory.entries(NodePaths.join(root, "containers")) {
            for name in names {
                guard let (container, id) = PodLogDirectory.container(fromLogName: name) else { continue }
                directory.containers[id] = PodDirectory.Container(name: container)
            }
        }
        return directory
    }

    /// `<pod>_<namespace>_<container>-<id>.log` → (container, id).
    static func container(fromLogName name: String) -> (String, String)? {
        guard name.hasSuffix(".log") else { return nil }
        let stem = name.dropLast(4)
        let parts = stem.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, let dash = parts[2].lastIndex(of: "-") else { return nil }
        let container = parts[2][..<dash]
        let id = parts[2][parts[2].index(after: dash)...]
        guard !container.isEmpty, KubernetesCgroup.container(in: id) != nil else { return nil }
        return (String(container), String(id))
    }
}
