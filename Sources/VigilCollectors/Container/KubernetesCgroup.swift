/// What a cgroup path says about Kubernetes: the pod's UID and, for a container's cgroup, the
/// container's ID and runtime, for both kubelet cgroup drivers.
///
/// - systemd: `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/cri-containerd-<id>.scope`
///   (`crio-<id>.scope`, `docker-<id>.scope`; the UID's dashes escaped as `_`);
/// - cgroupfs: `/kubepods/burstable/pod<uid>/<id>` (`/kubepods/pod<uid>/<id>` for Guaranteed pods).
public struct KubernetesCgroup: Sendable, Equatable {
    /// The pod's UID with dashes (`0b7d0c5e-...`).
    public var podUID: String
    /// The container's ID (64 hex digits), or nil for the pod's own cgroup.
    public var containerID: String?
    /// The container runtime the path names (`containerd`, `cri-o`, `docker`), or nil when the
    /// path does not say (cgroupfs driver, the pod's own cgroup).
    public var runtime: String?

    /// A parsed path.
    public init(podUID: String, containerID: String? = nil, runtime: String? = nil) {
        self.podUID = podUID
        self.containerID = containerID
        self.runtime = runtime
    }

    /// The Kubernetes meaning of `path`, or nil when it is not under a `kubepods` cgroup or not
    /// a pod's or a container's cgroup (QoS slices, `crio-conmon-*` monitors).
    public static func parse(_ path: String) -> KubernetesCgroup? {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let kubepods = components.firstIndex(where: { $0 == "kubepods" || $0 == "kubepods.slice" }) else { return nil }
        var podIndex: Int?
        var uid: String?
        for index in components.indices where index > kubepods {
            if let found = podUID(in: components[index]) {
                podIndex = index
                uid = found
                break
            }
        }
        guard let podIndex, let uid else { return nil }
        let rest = components[(podIndex + 1)...]
        guard let first = rest.first else { return KubernetesCgroup(podUID: uid) }
        // Deeper cgroups (a container's own children) belong to the container.
        guard let (id, runtime) = container(in: first) else { return nil }
        return KubernetesCgroup(podUID: uid, containerID: id, runtime: runtime)
    }

    /// `kubepods-burstable-pod<uid>.slice`, `kubepods-pod<uid>.slice` or `pod<uid>` → the UID.
    static func podUID(in component: Substring) -> String? {
        var name = component
        if name.hasSuffix(".slice") {
            name = name.dropLast(".slice".count)
            guard name.hasPrefix("kubepods-"), let start = lastPodMarker(in: name) else { return nil }
            name = name[start...]
        } else {
            guard name.hasPrefix("pod") else { return nil }
            name = name.dropFirst(3)
        }
        let uid = String(name.map { $0 == "_" ? "-" : $0 })
        guard uid.count >= 8, uid.utf8.allSatisfy({ isHex($0) || $0 == UInt8(ascii: "-") }) else { return nil }
        return uid
    }

    /// `cri-containerd-<id>.scope`, `crio-<id>.scope`, `docker-<id>.scope` or a bare `<id>`.
    static func container(in component: Substring) -> (String, String?)? {
        var name = component
        var runtime: String?
        if name.hasSuffix(".scope") {
            name = name.dropLast(".scope".count)
            let prefixes: [(String, String)] = [("cri-containerd-", "containerd"), ("crio-", "cri-o"), ("docker-", "docker")]
            guard let (prefix, named) = prefixes.first(where: { name.hasPrefix($0.0) }) else { return nil }
            name = name.dropFirst(prefix.count)
            runtime = named
        }
        guard (12...64).contains(name.utf8.count), name.utf8.allSatisfy(isHex) else { return nil }
        return (String(name), runtime)
    }

    /// The index just after the last `-pod` in `name`.
    private static func lastPodMarker(in name: Substring) -> Substring.Index? {
        let bytes = Array(name.utf8)
        var index = bytes.count - 4
        while index >= 0 {
            if bytes[index] == UInt8(ascii: "-") && bytes[index + 1] == UInt8(ascii: "p") && bytes[index + 2] == UInt8(ascii: "o")
                && bytes[index + 3] == UInt8(ascii: "d") {
                return name.utf8.index(name.utf8.startIndex, offsetBy: index + 4)
            }
            index -= 1
        }
        return nil
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }
}
