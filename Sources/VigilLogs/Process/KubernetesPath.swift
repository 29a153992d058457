/// The pod a container log file belongs to, read from its path the way the kubelet writes it:
/// `/var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log` and
/// `/var/log/containers/<pod>_<namespace>_<container>-<64-hex id>.log`.
struct KubernetesPath: Sendable, Hashable {
    var namespace: String
    var pod: String
    var podUID: String
    var container: String
    var containerID: String

    /// Nil when `path` is neither layout.
    init?(_ path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if let pods = parts.lastIndex(of: "pods"), parts.count == pods + 4, parts[pods + 3].hasSuffix(".log") {
            // <ns>_<pod>_<uid>: namespaces and pod names cannot hold "_"; a UID cannot either.
            let owner = parts[pods + 1].split(separator: "_", omittingEmptySubsequences: false)
            guard owner.count == 3, owner.allSatisfy({ !$0.isEmpty }) else { return nil }
            namespace = String(owner[0])
            pod = String(owner[1])
            podUID = String(owner[2])
            container = String(parts[pods + 2])
            containerID = ""
            return
        }
        guard let last = parts.last, parts.count >= 2, parts[parts.count - 2] == "containers", last.hasSuffix(".log") else {
            return nil
        }
        let name = last.dropLast(4)
        let fields = name.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, let dash = fields[2].lastIndex(of: "-") else { return nil }
        let id = fields[2][fields[2].index(after: dash)...]
        let container = fields[2][..<dash]
        guard id.count == 64, id.allSatisfy(\.isHexDigit), !container.isEmpty, !fields[0].isEmpty, !fields[1].isEmpty else {
            return nil
        }
        pod = String(fields[0])
        namespace = String(fields[1])
        podUID = ""
        self.container = String(container)
        containerID = String(id)
    }
}
