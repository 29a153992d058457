import Foundation
import Testing
import VigilTestSupport

/// `vigil silence add|query|expire` against a running `vigil server`'s embedded Alertmanager.
@Suite(.serialized) struct SilencesFromTheCommandLine {
    @Test func addQueryExpire() async throws {
        let temp = try TemporaryDirectory()
        let server = try VigilProcess(["server", "--data-dir", temp.path + "/data", "--listen", "127.0.0.1:0"])
        try server.start()
        defer { server.signal(SIGKILL) }
        let port = try #require(await server.waitForListenPort(), "\(server.standardError)")
        let url = ["--alertmanager.url", "http://127.0.0.1:\(port)"]

        let added = try await VigilProcess.run(
            ["silence", "add"] + url + ["DiskFull", #"instance=~"db-.*""#, "--comment", "disk swap", "--author", "ops"])
        #expect(added.status == 0, "\(added.err)")
        let id = added.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 36, "an UUID: \(added.out)")

        let listed = try await VigilProcess.run(["silence", "query"] + url)
        #expect(listed.status == 0, "\(listed.err)")
        #expect(listed.out.contains(#"alertname="DiskFull" instance=~"db-.*""#), "\(listed.out)")
        #expect(listed.out.contains("ops"), "\(listed.out)")
        let quiet = try await VigilProcess.run(["silence", "query", "-q"] + url + ["alertname=DiskFull"])
        #expect(quiet.out == id + "\n")
        let none = try await VigilProcess.run(["silence", "query", "-q"] + url + ["alertname=Other"])
        #expect(none.out.isEmpty, "\(none.out)")

        #expect(try await VigilProcess.run(["silence", "expire"] + url + [id]).status == 0)
        let expired = try await VigilProcess.run(["silence", "query", "--expired", "-q"] + url)
        #expect(expired.out == id + "\n")
        let active = try await VigilProcess.run(["silence", "query", "-q"] + url)
        #expect(active.out.isEmpty)

        let unknown = try await VigilProcess.run(["silence", "expire"] + url + ["00000000-0000-0000-0000-000000000000"])
        #expect(unknown.status == 1)
        #expect(unknown.err.contains("404"), "\(unknown.err)")
        let badMatcher = try await VigilProcess.run(["silence", "add"] + url + ["bad{", "--comment", "x"])
        #expect(badMatcher.status == 2)
        #expect(badMatcher.err.contains("bad matcher"), "\(badMatcher.err)")
        let noComment = try await VigilProcess.run(["silence", "add"] + url + ["DiskFull"])
        #expect(noComment.status == 2)
    }
}
