import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import VigilTestSupport

/// `vigil logs QUERY` against a running `vigil server`'s log store.
@Suite(.serialized) struct LogsFromTheCommandLine {
    @Test func queryPrintsLinesAndSeries() async throws {
        let temp = try TemporaryDirectory()
        let server = try VigilProcess(["server", "--data-dir", temp.path + "/data", "--listen", "127.0.0.1:0"])
        try server.start()
        defer { server.signal(SIGKILL) }
        let port = try #require(await server.waitForListenPort(), "\(server.standardError)")
        let base = "http://127.0.0.1:\(port)"
        let now = Int64((Date().timeIntervalSince1970 - 5) * 1e9)
        var push = HTTPClientRequest(url: base + "/loki/api/v1/push")
        push.method = .POST
        push.headers.add(name: "Content-Type", value: "application/json")
        push.body = .bytes(ByteBuffer(string: """
            {"streams":[{"stream":{"app":"api"},"values":[["\(now)","GET / 200"],["\(now + 1)","POST /pay 500 \\"boom\\""]]},
                        {"stream":{"app":"db"},"values":[["\(now + 2)","slow query"]]}]}
            """))
        let pushed = try await HTTPClient.shared.execute(push, timeout: .seconds(30))
        #expect(pushed.status.code == 204)
        let server1 = ["--server", base]

        let wide = try await VigilProcess.run(["logs"] + server1 + [#"{app=~".+"}"#])
        #expect(wide.status == 0, "\(wide.err)")
        let lines = wide.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(wide.out)")
        #expect(lines.first?.hasSuffix(#" {app="db"} slow query"#) == true, "newest first: \(wide.out)")

        let raw = try await VigilProcess.run(["logs", "--output", "raw", "--forward"] + server1 + [#"{app="api"} |= "500""#])
        #expect(raw.out == "POST /pay 500 \"boom\"\n", "\(raw.err)")

        let json = try await VigilProcess.run(["logs", "--output", "json", "--limit", "1"] + server1 + [#"{app="api"}"#])
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        #expect(object?["line"] as? String == "POST /pay 500 \"boom\"", "\(json.out)")
        #expect(object?["labels"] as? [String: String] == ["app": "api"])

        let metric = try await VigilProcess.run(["logs", "--since", "5m", "--step", "1m"] + server1 + [#"sum(count_over_time({app=~".+"}[5m]))"#])
        #expect(metric.status == 0, "\(metric.err)")
        #expect(metric.out.split(separator: "\n").last?.hasPrefix("  3  @") == true, "\(metric.out)")

        let bad = try await VigilProcess.run(["logs"] + server1 + [#"{app="api""#])
        #expect(bad.status == 1)
        #expect(bad.err.contains("parse error at line 1, col "), "\(bad.err)")
        let badSince = try await VigilProcess.run(["logs", "--since", "soon"] + server1 + [#"{app="api"}"#])
        #expect(badSince.status == 2)
    }
}
