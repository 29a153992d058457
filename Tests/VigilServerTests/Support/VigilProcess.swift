import Foundation
import VigilTestSupport

/// The built `vigil` executable, run as a child process the way a user runs it.
struct VigilProcess: @unchecked Sendable {
    /// The `vigil` binary next to this test bundle in the build directory.
    static func binaryPath() throws -> String {
        var candidates: [String] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("vigil").path)
        }
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        candidates.append(bundleDirectory.appendingPathComponent("vigil").path)
        // Package root from this source file: Tests/VigilServerTests/Support/VigilProcess.swift.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/vigil").path)
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw TestFailure("vigil binary not found; looked in \(candidates)")
    }

    let process = Process()
    let stdout = Pipe()
    let stderr = Pipe()
    private let output = OutputCollector()

    init(_ arguments: [String], workingDirectory: String? = nil, environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: try Self.binaryPath())
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let workingDirectory {
            process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        }
        process.standardOutput = stdout
        process.standardError = stderr
        let collector = output
        stdout.fileHandleForReading.readabilityHandler = { collector.append(out: $0.availableData) }
        stderr.fileHandleForReading.readabilityHandler = { collector.append(err: $0.availableData) }
    }

    func start() throws { try process.run() }

    /// Runs to completion (at most `timeout`) and returns exit status, stdout and stderr.
    /// The wait runs on a thread of its own, not the concurrency pool's.
    static func run(_ arguments: [String], timeout: TimeInterval = 60) async throws -> (status: Int32, out: String, err: String) {
        let child = try VigilProcess(arguments)
        try child.start()
        guard try await onDedicatedThread({ child.waitForExit(timeout: timeout) }) else {
            child.process.terminate()
            throw TestFailure("vigil \(arguments) did not exit within \(timeout)s")
        }
        return (child.process.terminationStatus, child.standardOutput, child.standardError)
    }

    /// Waits until the process exits; false if it is still running after `timeout`.
    func waitForExit(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        // Drain what the pipes still hold.
        Thread.sleep(forTimeInterval: 0.05)
        return true
    }

    /// Waits until stderr contains `text`; false after `timeout`. Polls on a thread of its own.
    func waitForLog(_ text: String, timeout: TimeInterval = 30) async -> Bool {
        (try? await onDedicatedThread { self.blockingWaitForLog(text, timeout: timeout) }) ?? false
    }

    private func blockingWaitForLog(_ text: String, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if standardError.contains(text) { return true }
            if !process.isRunning { return standardError.contains(text) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// The port from the ready log line (for `--listen 127.0.0.1:0`), or nil after 30s.
    func waitForListenPort(_ message: String = "Server is ready to receive web requests") async -> Int? {
        guard await waitForLog(message) else { return nil }
        for line in standardError.split(separator: "\n") where line.contains(message) {
            if let range = line.range(of: "address=127.0.0.1:") {
                return Int(line[range.upperBound...].prefix { $0.isNumber })
            }
        }
        return nil
    }

    var standardOutput: String { output.out }
    var standardError: String { output.err }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }
}

private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var outData = Data()
    private var errData = Data()

    func append(out data: Data) { lock.withLock { outData.append(data) } }
    func append(err data: Data) { lock.withLock { errData.append(data) } }
    var out: String { lock.withLock { String(decoding: outData, as: UTF8.self) } }
    var err: String { lock.withLock { String(decoding: errData, as: UTF8.self) } }
}
