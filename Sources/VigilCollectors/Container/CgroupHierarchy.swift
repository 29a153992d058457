#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the host's cgroups are and which version they are: the unified v2 tree, or the v1
/// controller hierarchies (a hybrid host's empty `unified` tree is ignored, as cAdvisor does).
public enum CgroupHierarchy: Sendable, Equatable {
    /// cgroup v2 mounted at the path.
    case v2(root: String)
    /// cgroup v1 controllers (`cpu`, `cpuacct`, `memory`, `blkio`, `pids`) by name, each at its mount.
    case v1(controllers: [String: String])

    /// The controllers v1 statistics come from.
    static let v1Controllers = ["cpu", "cpuacct", "memory", "blkio", "pids"]

    /// The hierarchy under `<sysfs>/fs/cgroup`, or nil when no cgroup file system is there.
    public static func detect(sysfs: String) -> CgroupHierarchy? {
        let root = NodePaths.join(sysfs, "fs/cgroup")
        if Directory.exists(NodePaths.join(root, "cgroup.controllers")) { return .v2(root: root) }
        var controllers: [String: String] = [:]
        for name in v1Controllers {
            let path = NodePaths.join(root, name)
            if Directory.isDirectory(path) { controllers[name] = path }
        }
        return controllers.isEmpty ? nil : .v1(controllers: controllers)
    }

    /// Every cgroup, as paths from the root (`/`, `/kubepods/burstable/pod…`), sorted so a parent
    /// comes before its children; a v1 cgroup appears once however many controllers hold it.
    ///
    /// Unreadable directories are passed to `skipped` and left out. At most `limit` cgroups.
    public func cgroups(limit: Int = 20_000, skipped: (String, CollectorError) -> Void) -> [String] {
        members(limit: limit, skipped: skipped).map(\.path)
    }

    /// ``cgroups(limit:skipped:)`` with, for each, the v1 controllers holding it (bit `i` for
    /// ``v1Controllers``[i]; every bit on v2), so files of controllers without it are not tried.
    func members(limit: Int = 20_000, skipped: (String, CollectorError) -> Void) -> [(path: String, controllers: UInt8)] {
        var found: [String: UInt8] = ["/": 0xFF]
        switch self {
        case .v2(let root):
            CgroupHierarchy.walk(root, relative: "", bit: 0xFF, depth: 0, limit: limit, into: &found, skipped: skipped)
        case .v1(let controllers):
            for (index, name) in CgroupHierarchy.v1Controllers.enumerated() {
                guard let root = controllers[name] else { continue }
                CgroupHierarchy.walk(root, relative: "", bit: 1 << index, depth: 0, limit: limit, into: &found, skipped: skipped)
            }
        }
        return found.map { (path: $0.key, controllers: $0.value) }.sorted { ByteOrderOfPaths.less($0.path, $1.path) }
    }

    private static func walk(
        _ directory: String, relative: String, bit: UInt8, depth: Int, limit: Int, into found: inout [String: UInt8],
        skipped: (String, CollectorError) -> Void
    ) {
        guard depth < 64 else { return }
        guard let handle = opendir(directory) else {
            skipped(directory, .system(errno, path: directory, operation: "opendir"))
            return
        }
        var children: [String] = []
        while let entry = readdir(handle) {
            guard entry.pointee.d_type == UInt8(DT_DIR) else { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            children.append(name)
        }
        closedir(handle)
        for name in children {
            let path = relative + "/" + name
            guard found.count < limit || found[path] != nil else { return }
            found[path, default: 0] |= bit
            walk(directory + "/" + name, relative: path, bit: bit, depth: depth + 1, limit: limit, into: &found, skipped: skipped)
        }
    }
}

/// Sorting cgroup paths component by component, so `/a` and all of `/a/…` come before `/a-b`.
enum ByteOrderOfPaths {
    static func less(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let l?, let r?):
                if l == r { continue }
                // `/` sorts before every other byte.
                if l == UInt8(ascii: "/") { return true }
                if r == UInt8(ascii: "/") { return false }
                return l < r
            }
        }
    }
}
