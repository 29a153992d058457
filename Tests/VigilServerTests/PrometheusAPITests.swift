import VigilTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The Prometheus HTTP API's metadata, status and admin endpoints over real HTTP, on data written
/// through remote write, checked field by field against Prometheus's response shapes.
@Suite struct PrometheusAPITests {
    func json(_ response: TestClient.Response) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any], "not JSON: \(response.text)")
    }

    func withData(_ body: @escaping @Sendable (TestClient) async throws -> Void) async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            let write = try await client.post("/api/v1/write", headers: RemoteWriteTests.headers, body: RemoteWriteTests.body(series: 3, samplesEach: 2))
            #expect(write.status == .noContent)
            try await body(client)
        }
    }

    @Test func labelsValuesAndSeries() async throws {
        try await withData { client in
            let labels = try self.json(try await client.get("/api/v1/labels"))
            #expect(labels["status"] as? String == "success")
            #expect(labels["data"] as? [String] == ["__name__", "instance"])

            let values = try self.json(try await client.get("/api/v1/label/instance/values"))
            #expect(values["data"] as? [String] == ["host0", "host1", "host2"])
            let names = try self.json(try await client.get("/api/v1/label/__name__/values?match%5B%5D=%7Binstance%3D%22host1%22%7D"))
            #expect(names["data"] as? [String] == ["rw_test"])

            let series = try self.json(try await client.get("/api/v1/series?match[]=rw_test%7Binstance%3D~%22host%5B12%5D%22%7D"))
            #expect(series["data"] as? [[String: String]] == [
                ["__name__": "rw_test", "instance": "host1"], ["__name__": "rw_test", "instance": "host2"],
            ])
            let posted = try await client.post(
                "/api/v1/series", headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "match%5B%5D=rw_test&limit=1&start=1699999999&end=2023-11-14T22:15:00Z")
            )
            #expect(try self.json(posted)["data"] as? [[String: String]] == [["__name__": "rw_test", "instance": "host0"]])
            let outside = try self.json(try await client.get("/api/v1/series?match[]=rw_test&start=1&end=2"))
            #expect((outside["data"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func instantAndRangeQueries() async throws {
        try await withData { client in
            let scalar = try self.json(try await client.get("/api/v1/query?query=1%2B1&time=1700000000.5"))
            let scalarData = try #require(scalar["data"] as? [String: Any])
            #expect(scalarData["resultType"] as? String == "scalar")
            #expect((scalarData["result"] as? [Any])?.last as? String == "2")
            #expect((scalarData["result"] as? [Any])?.first as? Double == 1_700_000_000.5)

            let vector = try self.json(try await client.get("/api/v1/query?query=rw_test%7Binstance%3D%22host1%22%7D&time=1700000015"))
            let vectorData = try #require(vector["data"] as? [String: Any])
            #expect(vectorData["resultType"] as? String == "vector")
            let sample = try #require((vectorData["result"] as? [[String: Any]])?.first)
            #expect(sample["metric"] as? [String: String] == ["__name__": "rw_test", "instance": "host1"])
            #expect((sample["value"] as? [Any])?.last as? String == "1")

            let range = try await client.post(
                "/api/v1/query_range", headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "query=sum(rw_test)&start=1700000000&end=1700000030&step=15s")
            )
            let rangeData = try #require(try self.json(range)["data"] as? [String: Any])
            #expect(rangeData["resultType"] as? String == "matrix")
            let values = try #require((rangeData["result"] as? [[String: Any]])?.first?["values"] as? [[Any]])
            #expect(values.map { $0.last as? String } == ["0", "3", "3"])

            let tooMany = try await client.get("/api/v1/query_range?query=up&start=0&end=100000&step=1")
            #expect(tooMany.status == .badRequest)
            #expect(try self.json(tooMany)["error"] as? String == "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
            let badQuery = try await client.get("/api/v1/query?query=sum(")
            #expect(badQuery.status == .badRequest)
            #expect(try self.json(badQuery)["errorType"] as? String == "bad_data")
            let manyToMany = try await client.get("/api/v1/query?query=rw_test%20%2B%20on()%20rw_test&time=1700000015")
            #expect(manyToMany.status == .unprocessableContent)
            #expect(try self.json(manyToMany)["errorType"] as? String == "execution")
        }
    }

    @Test func badParametersAreBadData() async throws {
        try await withData { client in
            for (path, message) in [
                ("/api/v1/series", "no match[] parameter provided"),
                ("/api/v1/series?match[]=%7B", "invalid parameter \"match[]\""),
                ("/api/v1/label/1bad/values", "invalid label name: \"1bad\""),
                ("/api/v1/labels?start=yesterday", "invalid parameter \"start\""),
                ("/api/v1/labels?start=10&end=5", "end timestamp must not be before start time"),
                ("/api/v1/labels?limit=-1", "limit must be positive"),
                ("/api/v1/format_query?query=sum(", "invalid parameter \"query\""),
            ] {
                let response = try await client.get(path)
                #expect(response.status == .badRequest, "\(path)")
                let body = try self.json(response)
                #expect(body["status"] as? String == "error")
                #expect(body["errorType"] as? String == "bad_data")
                #expect((body["error"] as? String)?.contains(message) == true, "\(path): \(body)")
            }
        }
    }

    @Test func formatQueryAndStatus() async throws {
        try await withData { client in
            let formatted = try self.json(try await client.get("/api/v1/format_query?query=sum(rate(x%5B5m%5D))by(job)"))
            #expect(formatted["data"] as? String == "sum by (job) (rate(x[5m]))")

            let build = try self.json(try await client.get("/api/v1/status/buildinfo"))
            let buildData = try #require(build["data"] as? [String: Any])
            #expect(buildData["version"] as? String != nil)
            #expect(buildData["features"] == nil, "a features field makes Grafana treat us as Mimir")

            let tsdb = try #require(try self.json(try await client.get("/api/v1/status/tsdb"))["data"] as? [String: Any])
            let head = try #require(tsdb["headStats"] as? [String: Any])
            #expect(head["numSeries"] as? Int == 3)
            #expect(head["minTime"] as? Int == 1_700_000_000_000)
            #expect((tsdb["seriesCountByMetricName"] as? [[String: Any]])?.first?["name"] as? String == "rw_test")

            let config = try #require(try self.json(try await client.get("/api/v1/status/config"))["data"] as? [String: Any])
            #expect((config["yaml"] as? String)?.contains("scrape_interval") == true)
            let flags = try #require(try self.json(try await client.get("/api/v1/status/flags"))["data"] as? [String: String])
            #expect(flags.isEmpty || flags["storage.tsdb.retention.time"] != nil)
            let runtime = try #require(try self.json(try await client.get("/api/v1/status/runtimeinfo"))["data"] as? [String: Any])
            #expect(runtime["reloadConfigSuccess"] as? Bool == true)
            #expect(try self.json(try await client.get("/api/v1/metadata"))["data"] as? [String: Any] != nil)
            #expect((try self.json(try await client.get("/api/v1/query_exemplars?query=up"))["data"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func adminDeleteSeriesHidesSamples() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data", enableAdminAPI: true) { client, _ in
            let write = try await client.post("/api/v1/write", headers: RemoteWriteTests.headers, body: RemoteWriteTests.body(series: 3, samplesEach: 2))
            #expect(write.status == .noContent)
            let deleted = try await client.post("/api/v1/admin/tsdb/delete_series?match[]=rw_test%7Binstance%3D%22host1%22%7D", body: ByteBuffer())
            #expect(deleted.status == .noContent, "\(deleted.text)")
            let series = try self.json(try await client.get("/api/v1/series?match[]=rw_test"))
            #expect(series["data"] as? [[String: String]] == [
                ["__name__": "rw_test", "instance": "host0"], ["__name__": "rw_test", "instance": "host2"],
            ])
            #expect(try await client.put("/api/v1/admin/tsdb/clean_tombstones", body: ByteBuffer()).status == .noContent)
            #expect(try await client.post("/api/v1/admin/tsdb/delete_series", body: ByteBuffer()).status == .badRequest)
        }
    }

    @Test func adminAPIIsOffByDefault() async throws {
        try await withData { client in
            let response = try await client.post("/api/v1/admin/tsdb/delete_series?match[]=rw_test", body: ByteBuffer())
            #expect(response.status == .serviceUnavailable)
            #expect(try self.json(response)["errorType"] as? String == "unavailable")
        }
    }
}
