import VigilTestSupport
import Foundation
import HummingbirdTesting
import Testing

/// `vigil push` against a running `vigil server`: exit codes 0, 1 and 2 as the other commands use
/// them.
@Suite(.serialized) struct PushingFromTheCommandLine {
    @Test func pushPostDeleteAndFailures() async throws {
        let temp = try TemporaryDirectory()
        let server = try VigilProcess(["server", "--data-dir", temp.path + "/data", "--listen", "127.0.0.1:0"])
        try server.start()
        defer { server.signal(SIGKILL) }
        let port = try #require(await server.waitForListenPort(), "\(server.standardError)")
        let url = "http://127.0.0.1:\(port)"
        let metrics = try temp.write("m.prom", "# TYPE backup_ok gauge\nbackup_ok 1\n")
        let more = try temp.write("more.prom", "backup_bytes 42\n")
        let stamped = try temp.write("stamped.prom", "backup_ok 1 1700000000000\n")
        let conflicting = try temp.write("conflict.prom", "# TYPE backup_ok counter\nbackup_ok 1\n")

        let pushed = try await VigilProcess.run(["push", "--job", "backup", "--label", "instance=db/1", "--label", "empty=", "--url", url, metrics])
        #expect(pushed.status == 0, "\(pushed.err)")
        #expect(try await VigilProcess.run(["push", "--job", "backup", "--label", "instance=db/1", "--label", "empty=", "--method", "post", "--url", url, more]).status == 0)
        var text = try await exposition(port)
        #expect(text.contains("backup_ok{empty=\"\",instance=\"db/1\",job=\"backup\"} 1"), "\(text)")
        #expect(text.contains("backup_bytes{empty=\"\",instance=\"db/1\",job=\"backup\"} 42"), "\(text)")

        let badLabel = try await VigilProcess.run(["push", "--job", "backup", "--label", "1x=y", "--url", url, metrics])
        #expect(badLabel.status == 2)
        #expect(badLabel.err.contains("improper label name"), "\(badLabel.err)")
        #expect(try await VigilProcess.run(["push", "--job", "backup", "--label", "novalue", "--url", url, metrics]).status == 2)
        let timestamps = try await VigilProcess.run(["push", "--job", "backup", "--url", url, stamped])
        #expect(timestamps.status == 2)
        #expect(timestamps.err.contains("timestamps"), "\(timestamps.err)")
        let refused = try await VigilProcess.run(["push", "--job", "other", "--url", url, conflicting])
        #expect(refused.status == 2)
        #expect(refused.err.contains("HTTP 400"), "\(refused.err)")
        #expect(try await VigilProcess.run(["push", "--job", "backup", "--url", url, temp.path + "/missing.prom"]).status == 2)
        let unreachable = try await VigilProcess.run(["push", "--job", "backup", "--timeout", "1", "--url", "http://127.0.0.1:1", metrics])
        #expect(unreachable.status == 1)

        let deleted = try await VigilProcess.run(["push", "--job", "backup", "--label", "instance=db/1", "--label", "empty=", "--delete", "--url", url])
        #expect(deleted.status == 0, "\(deleted.err)")
        text = try await exposition(port)
        #expect(!text.contains("job=\"backup\""), "\(text)")
    }

    @Test func acknowledgedPushesSurviveSIGKILL() async throws {
        let temp = try TemporaryDirectory()
        let metrics = try temp.write("m.prom", "# TYPE last_success gauge\nlast_success 1.7e+09\n")
        var expected = ""
        for round in 0..<2 {
            let server = try VigilProcess(["server", "--data-dir", temp.path + "/data", "--listen", "127.0.0.1:0"])
            try server.start()
            defer { server.signal(SIGKILL) }
            let port = try #require(await server.waitForListenPort(), "\(server.standardError)")
            if round == 0 {
                for instance in 0..<20 {
                    let pushed = try await VigilProcess.run(["push", "--job", "nightly", "--label", "instance=host\(instance)", "--url", "http://127.0.0.1:\(port)", metrics])
                    #expect(pushed.status == 0, "\(pushed.err)")
                }
                expected = try await exposition(port)
                #expect(expected.contains("last_success{instance=\"host19\",job=\"nightly\"} 1.7e+09"))
            } else {
                #expect(try await exposition(port) == expected, "every acknowledged push is back after SIGKILL")
            }
            server.signal(SIGKILL)
            _ = server.waitForExit(timeout: 10)
        }
    }

    @Test func helpHasExamples() async throws {
        let help = try await VigilProcess.run(["push", "--help"])
        #expect(help.status == 0)
        #expect(help.out.contains("Examples:"))
    }

    func exposition(_ port: Int) async throws -> String {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            try await client.get("/pushgateway/metrics").text
        }
    }
}
