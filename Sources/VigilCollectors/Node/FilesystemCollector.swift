#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `filesystem`: size, free and available bytes, inodes, read-only status and statistics errors
/// of each mounted file system (from `/proc/1/mounts`, else `/proc/mounts`), skipping mount
/// points and file-system types matched by the exclude patterns. Labels `device`, `fstype`,
/// `mountpoint`; a mount listed twice with the same options is reported once.
struct FilesystemCollector: Collector {
    let name = "filesystem"
    let mountPoints: NameFilter
    let fsTypes: NameFilter

    /// One line of a mounts file.
    struct Mount: Hashable {
        var device: String
        var mountPoint: String
        var fsType: String
        var options: String
    }

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let text: ArraySlice<UInt8>
        var path = context.paths.proc("1/mounts")
        do throws(CollectorError) {
            text = try context.reader.read(path)
        } catch where error.isNotFound {
            path = context.paths.proc("mounts")
            text = try context.reader.read(path)
        }
        var seen: Set<Mount> = []
        for var mount in try FilesystemCollector.parseMounts(text, path: path) {
            mount.mountPoint = context.paths.strippingRoot(mount.mountPoint)
            guard mountPoints.keeps(mount.mountPoint), fsTypes.keeps(mount.fsType), seen.insert(mount).inserted else { continue }
            let labels: KeyValuePairs<String, String> = [
                "device": mount.device, "fstype": mount.fsType, "mountpoint": mount.mountPoint,
            ]
            var stats = statvfs()
            guard statvfs(context.paths.root(mount.mountPoint), &stats) == 0 else {
                context.sink.gauge(
                    "node_filesystem_device_error", "Whether an error occurred while getting statistics for the given device.", 1,
                    labels)
                continue
            }
            let unit = Double(stats.f_frsize)
            let readOnly = mount.options.split(separator: ",").contains("ro")
            context.sink.gauge(
                "node_filesystem_device_error", "Whether an error occurred while getting statistics for the given device.", 0, labels)
            context.sink.gauge("node_filesystem_size_bytes", "Filesystem size in bytes.", Double(stats.f_blocks) * unit, labels)
            context.sink.gauge("node_filesystem_free_bytes", "Filesystem free space in bytes.", Double(stats.f_bfree) * unit, labels)
            context.sink.gauge(
                "node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.",
                Double(stats.f_bavail) * unit, labels)
            context.sink.gauge("node_filesystem_files", "Filesystem total file nodes.", Double(stats.f_files), labels)
            context.sink.gauge("node_filesystem_files_free", "Filesystem total free file nodes.", Double(stats.f_ffree), labels)
            context.sink.gauge("node_filesystem_readonly", "Filesystem read-only status.", readOnly ? 1 : 0, labels)
        }
    }

    /// The mounts of a `mounts` file; `\040` and `\011` in mount points become space and tab.
    static func parseMounts(_ text: ArraySlice<UInt8>, path: String) throws(CollectorError) -> [Mount] {
        var mounts: [Mount] = []
        for line in ByteText.lines(text) {
            let fields = ByteText.fields(line)
            if fields.isEmpty { continue }
            guard fields.count >= 4 else {
                throw .malformed(path, "malformed mount point information: \"\(ByteText.string(line.prefix(120)))\"")
            }
            mounts.append(Mount(
                device: ByteText.string(fields[0]), mountPoint: unescape(fields[1]), fsType: ByteText.string(fields[2]),
                options: ByteText.string(fields[3])))
        }
        return mounts
    }

    private static func unescape(_ field: ArraySlice<UInt8>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(field.count)
        var index = field.startIndex
        while index < field.endIndex {
            if field[index] == UInt8(ascii: "\\"), index + 3 < field.endIndex {
                let code = field[(index + 1)...(index + 3)]
                if ByteText.equals(code, "040") { bytes.append(0x20); index += 4; continue }
                if ByteText.equals(code, "011") { bytes.append(0x09); index += 4; continue }
            }
            bytes.append(field[index])
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
