import VigilTestSupport
import Foundation
import Testing
import VigilServer

@Suite struct DataDirectoryTests {
    @Test func createsNestedDirectoriesAndLocks() throws {
        let temp = try TemporaryDirectory()
        let path = temp.path + "/a/b/data"
        let directory = try DataDirectory(path: path)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
        let metrics = try directory.subdirectory("metrics")
        #expect(FileManager.default.fileExists(atPath: metrics))

        // A second holder of the same directory is refused while the first lives.
        let error = #expect(throws: DataDirectoryError.self) { try DataDirectory(path: path) }
        #expect(error?.description.contains("another process holds the lock") == true)
        withExtendedLifetime(directory) {}
    }

    @Test func releasesLockWhenClosed() throws {
        let temp = try TemporaryDirectory()
        do { _ = try DataDirectory(path: temp.path + "/d") }
        _ = try DataDirectory(path: temp.path + "/d")
    }

    @Test func refusesAFileInTheWay() throws {
        let temp = try TemporaryDirectory()
        let file = try temp.write("occupied", "x")
        #expect(throws: DataDirectoryError.self) { try DataDirectory(path: file) }
    }
}
