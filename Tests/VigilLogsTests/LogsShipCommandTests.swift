import Foundation
import Testing
import VigilTestSupport

/// `vigil logs ship` as a user runs it: a bad config is refused with its position and exit code 2.
@Suite struct LogsShipCommandTests {
    @Test func refusesABadConfigWithItsPosition() throws {
        let binary = try #require(ShipperProcess.binaryPath, "the vigil binary is built by swift build")
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "vigil.yml", "logs:\n  inputs:\n    - paths: [/x/*.log]\n      formatt: cri\n  outputs:\n    - url: http://l/p\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["logs", "ship", "--config", config, "--data-dir", directory.path + "/data"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(output.contains("vigil.yml:4:7: logs.inputs[0].formatt: unknown field \"formatt\""), "\(output)")
    }
}
