import Foundation
import Logging
@testable import VigilCollectors
import VigilModel
import VigilTestSupport

/// A fake `/proc`, `/sys` and root file system under a temporary directory, written file by
/// file by each test.
struct FixtureTree: ~Copyable {
    let directory: TemporaryDirectory
    var root: String { directory.path }
    var paths: NodePaths {
        NodePaths(procfs: root + "/proc", sysfs: root + "/sys", rootfs: root + "/rootfs", udevData: root + "/udev")
    }

    init() throws {
        let created = try TemporaryDirectory()
        for sub in ["proc", "sys", "rootfs", "udev"] {
            try FileManager.default.createDirectory(atPath: created.path + "/" + sub, withIntermediateDirectories: true)
        }
        directory = created
    }

    /// Writes `contents` at `relative` (`proc/stat`), creating directories on the way.
    func write(_ relative: String, _ contents: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// Writes an executable program at `relative` (at the root) and returns its path; see
    /// `TemporaryDirectory.writeProgram`.
    func writeProgram(_ relative: String, _ contents: String) throws -> String {
        try directory.writeProgram(relative, contents)
    }

    /// Creates a directory at `relative`.
    func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: root + "/" + relative, withIntermediateDirectories: true)
    }

    /// Runs `collector` once on this tree: its families and whether it succeeded.
    func run(_ collector: any Collector) -> (families: [MetricFamily], success: Bool) {
        let exporter = NodeExporter(collectors: [collector], paths: paths, logger: Logger(label: "test"))
        let families = exporter.collect()
        let success = families.first { $0.name == "node_scrape_collector_success" }?.samples.first?.value == 1
        return (families.filter { !$0.name.hasPrefix("node_scrape_collector_") }, success)
    }
}

extension Array where Element == MetricFamily {
    /// The family called `name`.
    func family(_ name: String) -> MetricFamily? { first { $0.name == name } }

    /// The value of the sample of `name` with exactly `labels`.
    func value(_ name: String, _ labels: Labels = .empty) -> Double? {
        family(name)?.samples.first { $0.labels == labels }?.value
    }
}
