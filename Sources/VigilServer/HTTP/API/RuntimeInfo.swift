#if canImport(Glibc)
import Glibc
#endif
import VigilModel

/// Process facts `/api/v1/status/runtimeinfo` reports.
struct RuntimeInfo: Sendable {
    /// When the server started, in milliseconds.
    let startTime: Int64
    /// The working directory at start.
    let workingDirectory: String
    /// The configured retention, as given (`15d`).
    let storageRetention: String

    static func current(storageRetention: String) -> RuntimeInfo {
        var buffer = [CChar](repeating: 0, count: 4096)
        let directory = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? ""
        return RuntimeInfo(
            startTime: Timestamps.now(), workingDirectory: directory, storageRetention: storageRetention
        )
    }

    /// Threads of this process (reported where Prometheus reports goroutines).
    static func threadCount() -> Int {
        guard let status = ProcessStats.readSmallFile("/proc/self/status") else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("Threads:") {
            return Int(line.dropFirst(8).trimmingCharacters(in: " \t")) ?? 0
        }
        return 0
    }

    /// Processors this process may run on (reported as `GOMAXPROCS`).
    static func processorCount() -> Int {
        Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var result = self
        while let first = result.first, set.contains(first) { result.removeFirst() }
        while let last = result.last, set.contains(last) { result.removeLast() }
        return result
    }
}
