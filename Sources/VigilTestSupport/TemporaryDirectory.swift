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
