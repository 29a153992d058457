import Foundation

/// `vigil logs ship` as a child process, found in the build directory beside the test bundle
/// (`swift build` builds it; `VIGIL_BINARY` overrides the path).
final class ShipperProcess {
    static var binaryPath: String? {
        if let path = ProcessInfo.processInfo.environment["VIGIL_BINARY"] { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("vigil").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidate = root.appendingPathComponent(".build/debug/vigil").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    let process = Process()
    let logPath: String

    /// Starts `vigil logs ship --config config --data-dir dataDir`, its stderr appended to `logPath`.
    init(binary: String, config: String, dataDir: String, logPath: String) throws {
        self.logPath = logPath
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["logs", "ship", "--config", config, "--data-dir", dataDir, "--log.level", "debug"]
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func terminate() {
        process.terminate()
        process.waitUntilExit()
    }
}
