import VigilTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `vigil tsdb analyze` and `dump` on a data directory a real server filled over remote write.
@Suite struct TSDBCommandTests {
    @Test func analyzeAndDumpReadWhatTheServerStored() async throws {
        let temp = try TemporaryDirectory()
        let data = temp.path + "/data"
        let server = try VigilProcess(["server", "--data-dir", data, "--listen", "127.0.0.1:0"])
        try server.start()
        let port = try #require(await server.waitForListenPort(), "\(server.standardError)")
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let response = try await client.post(
                "/api/v1/write", headers: RemoteWriteTests.headers, body: RemoteWriteTests.body(series: 7, samplesEach: 3)
            )
            #expect(response.status == .noContent)
        }
        let query = try await VigilProcess.run([
            "query", "--server", "http://127.0.0.1:\(port)", "--time", "1700000015", "rw_test{instance=~\"host[12]\"}",
        ])
        #expect(query.status == 0, "\(query.err)")
        #expect(query.out == "rw_test{instance=\"host1\"}  1  @1700000015\nrw_test{instance=\"host2\"}  1  @1700000015\n")
        let range = try await VigilProcess.run([
            "query", "--server", "http://127.0.0.1:\(port)", "--range", "--start", "1700000000", "--end", "1700000030",
            "--step", "15s", "--json", "count(rw_test)",
        ])
        #expect(range.out.contains("\"values\":[[1700000000,\"7\"],[1700000015,\"7\"],[1700000030,\"7\"]]"), "\(range.out)")
        let failed = try await VigilProcess.run(["query", "--server", "http://127.0.0.1:\(port)", "sum("])
        #expect(failed.status == 1)
        #expect(failed.err.contains("bad_data"))

        // Inspection is read-only and safe beside the running server.
        let analyze = try await VigilProcess.run(["tsdb", "analyze", data])
        #expect(analyze.status == 0, "\(analyze.err)")
        #expect(analyze.out.contains("Series: 7"), "\(analyze.out)")
        #expect(analyze.out.contains("Samples: 21"), "\(analyze.out)")
        #expect(analyze.out.contains("rw_test"))

        let dump = try await VigilProcess.run(["tsdb", "dump", data, "--match", "rw_test{instance=\"host3\"}"])
        #expect(dump.status == 0, "\(dump.err)")
        #expect(dump.out.split(separator: "\n") == [
            "{__name__=\"rw_test\", instance=\"host3\"} 0 1700000000000",
            "{__name__=\"rw_test\", instance=\"host3\"} 1 1700000015000",
            "{__name__=\"rw_test\", instance=\"host3\"} 2 1700000030000",
        ])
        let ranged = try await VigilProcess.run([
            "tsdb", "dump", data, "--match", "rw_test", "--min-time", "2023-11-14T22:13:30Z", "--max-time", "1700000030000",
        ])
        #expect(ranged.out.split(separator: "\n").count == 14)  // t = 15000 and 30000 of each of 7 series
        #expect(try await VigilProcess.run(["tsdb", "dump", data, "--match", "{"]).status == 2)
        #expect(try await VigilProcess.run(["tsdb", "analyze", temp.path + "/missing"]).status == 2)

        server.signal(SIGTERM)
        #expect(server.waitForExit(timeout: 30))
        #expect(server.process.terminationStatus == 0)
    }
}

@Suite struct ImportTests {
    @Test func importCommandBackfillsBlocksTheServerServes() async throws {
        let temp = try TemporaryDirectory()
        let data = temp.path + "/data"
        var text = "# TYPE old_requests counter\n"
        for minute in 0..<180 {
            text += "old_requests_total{code=\"200\"} \(minute * 10) \(1_600_000_000 + minute * 60).000\n"
        }
        text += "# EOF\n"
        let file = try temp.write("history.om", text)
        let imported = try await VigilProcess.run(["import", "--data-dir", data, file])
        #expect(imported.status == 0, "\(imported.err)")
        #expect(imported.out.hasPrefix("Imported 180 samples of 1 series into 2 blocks"), "\(imported.out)")

        let bad = try temp.write("bad.prom", "no_timestamp 1\n")
        let refused = try await VigilProcess.run(["import", "--data-dir", data, bad])
        #expect(refused.status == 2)
        #expect(refused.err.contains("has no timestamp"))

        let server = try VigilProcess(["server", "--data-dir", data, "--listen", "127.0.0.1:0"])
        try server.start()
        defer { server.signal(SIGTERM); _ = server.waitForExit(timeout: 10) }
        let port = try #require(await server.waitForListenPort(), "\(server.standardError)")
        let query = try await VigilProcess.run([
            "query", "--server", "http://127.0.0.1:\(port)", "--time", "1600010700", "old_requests_total",
        ])
        #expect(query.out == "old_requests_total{code=\"200\"}  1780  @1600010700\n", "\(query.out) \(query.err)")
    }

    @Test func importEndpointStoresTextWithTimestamps() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            let stored = try await client.post(
                "/api/v1/import/prometheus", headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: "imported{a=\"1\"} 5 1700000000000\nimported{a=\"2\"} 6\n")
            )
            #expect(stored.status == .noContent, "\(stored.text)")
            let series = try await client.get("/api/v1/series?match[]=imported")
            #expect(series.text.contains("\"a\":\"1\"") && series.text.contains("\"a\":\"2\""))
            let bad = try await client.post("/api/v1/import/prometheus", body: ByteBuffer(string: "imported{a=\"1\" 5\n"))
            #expect(bad.status == .badRequest)
            #expect(bad.text.hasPrefix("line 1, column"))
        }
    }
}
