import Foundation

/// The `VigilCrashTester` child process: found beside the test bundle in the build directory
/// (`swift build` builds it; `VIGIL_CRASH_TESTER` overrides the path), started, and SIGKILLed.
public enum CrashTester {
    /// The child's path, or nil when it was not built.
    public static var path: String? {
        if let path = ProcessInfo.processInfo.environment["VIGIL_CRASH_TESTER"] { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("VigilCrashTester").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let candidate = exe.appendingPathComponent("VigilCrashTester").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// Starts the child, waits for its first acknowledgement, waits `delay` more, SIGKILLs it,
    /// and returns the batch numbers it acknowledged (complete lines only).
    public static func runAndKill(_ tester: String, arguments: [String], delayMicroseconds: UInt32) throws -> [UInt64] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tester)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let reader = output.fileHandleForReading
        var received = Data()
        // Wait for the first line (or the child's exit) so the kill lands inside the append loop.
        while !received.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            received.append(chunk)
        }
        usleep(delayMicroseconds)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        received.append(reader.readDataToEndOfFile())
        let text = String(decoding: received, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()  // an incomplete last line (or the empty string after the final newline)
        return lines.compactMap { UInt64($0) }
    }
}
