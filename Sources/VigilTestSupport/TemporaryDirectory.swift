import Foundation

/// A fresh directory under the system temp dir, removed when the value goes away: the scratch
/// space of tests that write files (stores, configs, queues).
public struct TemporaryDirectory: ~Copyable, Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates the directory.
    public init() throws {
        path = NSTemporaryDirectory() + "vigil-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `contents` to `name` inside the directory and returns the file's path.
    public func write(_ name: String, _ contents: String) throws -> String {
        let file = path + "/" + name
        try contents.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Writes an executable program (mode 0755) to `name` and returns its path.
    ///
    /// The file is opened close-on-exec: a process another test forks while it is open would
    /// otherwise keep it open for writing, and running it would fail with "Text file busy".
    public func writeProgram(_ name: String, _ contents: String) throws -> String {
        let file = path + "/" + name
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file]) }
        defer { close(descriptor) }
        var remaining = Array(contents.utf8)[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file]) }
            remaining = remaining.dropFirst(written)
        }
        guard fchmod(descriptor, 0o755) == 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: file])
        }
        return file
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes: how tests wait for an
/// asynchronous effect instead of asserting how long it takes. The default is generous because
/// it only runs out when something is wrong, and a CI machine running the suite's parallel tests
/// on two cores can leave a cheap task unscheduled for tens of seconds.
///
/// Swift 6.3.1 miscompiles a closure literal written inside `#expect(…)`/`#require(…)` in a
/// closure body when another closure literal follows outside a macro (both get one symbol). Keep
/// closure literals, including this function's argument, out of those macros: put the result in a
/// `let` and check that.
public func eventually(
    timeout: Duration = .seconds(120), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(20))
    }
}
