import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilTestSupport

/// The Pushgateway API of a running server: status codes as Pushgateway 1.5 answers them, the
/// JSON and text views, persistence across a restart, and pushed series reaching PromQL.
@Suite struct PushgatewayHTTP {
    static let body = """
        # HELP jobs_done Jobs done.
        # TYPE jobs_done counter
        jobs_done{queue="a"} 3
        # TYPE duration_seconds summary
        duration_seconds{quantile="0.5"} 1.5
        duration_seconds_sum 4
        duration_seconds_count 2

        """

    func text(_ client: TestClient) async throws -> String {
        let response = try await client.get("/pushgateway/metrics")
        #expect(response.status == .ok)
        return response.text.split(separator: "\n").filter { !$0.contains("push_") }.joined(separator: "\n")
    }

    @Test func pushDeleteAndTheirStatusCodes() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            let put = try await client.put("/metrics/job/batch/instance/db1", body: ByteBuffer(string: Self.body))
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.text.isEmpty)
            #expect(try await text(client) == """
                # TYPE duration_seconds summary
                duration_seconds{instance="db1",job="batch",quantile="0.5"} 1.5
                duration_seconds_sum{instance="db1",job="batch"} 4
                duration_seconds_count{instance="db1",job="batch"} 2
                # HELP jobs_done Jobs done.
                # TYPE jobs_done counter
                jobs_done{instance="db1",job="batch",queue="a"} 3
                """)
            let post = try await client.post("/metrics/job/batch/instance/db1", body: ByteBuffer(string: "extra 1\n"))
            #expect(post.status == .ok)
            #expect(try await text(client).contains("jobs_done{instance=\"db1\",job=\"batch\",queue=\"a\"} 3"))
            #expect(try await text(client).contains("extra{instance=\"db1\",job=\"batch\"} 1"))

            let cases: [(HTTPRequest.Method, String, String, HTTPFields, HTTPResponse.Status, String)] = [
                (.put, "/metrics/job/t1", "x 1 1234\n", [:], .badRequest, "pushed metrics must not have timestamps"),
                (.put, "/metrics/job/t2", "# TYPE extra gauge\nextra 1\n", [:], .badRequest, "has type GAUGE"),
                (.put, "/metrics/job/t3", "x{ 1\n", [:], .badRequest, "text format parsing error in line 1"),
                (.put, "/metrics/job/t3", "x 1", [:], .badRequest, "text format parsing error in line 1"),
                (.put, "/metrics/job/t5/a", "x 1\n", [:], .badRequest, "odd number of components in label string \"/a\""),
                (.post, "/metrics/job/t5/__a/b", "x 1\n", [:], .badRequest, "improper label name \"__a\""),
                (.put, "/metrics/job/t7/a@base64/!!", "x 1\n", [:], .badRequest, "invalid base64 encoding for label a=\"!!\""),
                (.put, "/metrics/job/t9", "garbage", [.contentType: "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"],
                 .unsupportedMediaType, "protobuf pushes are not supported"),
                (.put, "/metrics/job/t9", "x 1\n", [.contentEncoding: "gzip"], .unsupportedMediaType, "Content-Encoding gzip"),
                (.post, "/metrics/job/t10", "x 1\n", [.contentType: "application/openmetrics-text; version=1.0.0"], .ok, ""),
                (.post, "/metrics/job/t12/a/", "x 2\n", [:], .ok, ""),
                (.put, "/metrics/jobs/x", "x 1\n", [:], .notFound, "404 page not found"),
                (.get, "/metrics/job/t10", "", [:], .methodNotAllowed, "Method Not Allowed"),
                (.delete, "/metrics/job/nonexistent", "", [:], .accepted, ""),
                (.delete, "/metrics/job/t20/a", "", [:], .badRequest, "odd number of components"),
                (.delete, "/metrics/job/t10", "", [:], .accepted, ""),
            ]
            for (method, path, body, headers, status, fragment) in cases {
                let response = try await client.execute(.init(path, method: method, headers: headers, body: ByteBuffer(string: body)))
                #expect(response.status == status, "\(method) \(path): \(response.text)")
                #expect(fragment.isEmpty || response.text.contains(fragment), "\(method) \(path): \(response.text)")
            }
            let refused = try await client.put("/metrics/job/t2", body: ByteBuffer(string: "# TYPE extra gauge\nextra 1\n"))
            #expect(refused.headers[.contentType] == "text/plain; charset=utf-8")
            let all = try await client.get("/pushgateway/metrics").text
            #expect(all.contains("push_failure_time_seconds{instance=\"\",job=\"t2\"}"), "a refused push is recorded")
            #expect(!all.contains("job=\"t10\""), "t10 was deleted")
            #expect(all.contains("x{a=\"\",instance=\"\",job=\"t12\"} 2"))
        }
    }

    @Test func theJSONAPIListsGroupsLikeThePushgateway() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            #expect(try await client.put("/metrics/job/batch/instance/db1", body: ByteBuffer(string: Self.body)).status == .ok)
            let response = try await client.get("/api/v1/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
            #expect(object["status"] as? String == "success")
            let groups = try #require(object["data"] as? [[String: Any]])
            let group = try #require(groups.first)
            #expect(group["labels"] as? [String: String] == ["job": "batch", "instance": "db1"])
            #expect(group["last_push_successful"] as? Bool == true)
            let jobs = try #require(group["jobs_done"] as? [String: Any])
            #expect(jobs["type"] as? String == "COUNTER")
            #expect(jobs["help"] as? String == "Jobs done.")
            #expect((jobs["time_stamp"] as? String)?.hasSuffix("Z") == true)
            let metric = try #require((jobs["metrics"] as? [[String: Any]])?.first)
            #expect(metric["value"] as? String == "3")
            #expect(metric["labels"] as? [String: String] == ["instance": "db1", "job": "batch", "queue": "a"])
            let summary = try #require((group["duration_seconds"] as? [String: Any])?["metrics"] as? [[String: Any]]).first
            #expect(summary?["quantiles"] as? [String: String] == ["0.5": "1.5"])
            #expect(summary?["count"] as? String == "2")
            #expect(summary?["sum"] as? String == "4")
            #expect((group["push_time_seconds"] as? [String: Any])?["type"] as? String == "GAUGE")
            let status = try await client.get("/pushgateway/api/v1/status")
            #expect(status.status == .ok)
            #expect(status.text.contains("\"build_information\""))
        }
    }

    @Test func groupsSurviveARestartAndReachPromQL() async throws {
        let temp = try TemporaryDirectory()
        let config = try temp.write("vigil.yml", "global:\n  scrape_interval: 1s\nscrape_configs: []\n")
        try await withRunningServer(configPath: config, dataDirectory: temp.path + "/data") { (client, _) async throws in
            #expect(try await client.put("/metrics/job/batch/instance/db1", body: ByteBuffer(string: Self.body)).status == .ok)
            #expect(try await client.put("/metrics/job/other", body: ByteBuffer(string: "# TYPE jobs_done counter\njobs_done 1\n")).status == .ok)
        }
        try await withRunningServer(configPath: config, dataDirectory: temp.path + "/data") { client, _ in
            #expect(try await text(client).contains("jobs_done{instance=\"db1\",job=\"batch\",queue=\"a\"} 3"))
            var result = ""
            for _ in 0..<100 {
                let response = try await client.get("/api/v1/query?query=sum%20by%20(job)%20(jobs_done)")
                result = response.text
                if result.contains("\"batch\"") && result.contains("\"other\"") { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(result.contains("{\"job\":\"batch\"},\"value\":["), "\(result)")
            #expect(result.contains("{\"job\":\"other\"},\"value\":["), "\(result)")
            let series = try await client.get("/api/v1/series?match[]=jobs_done").text
            #expect(series.contains("{\"__name__\":\"jobs_done\",\"job\":\"other\"}"), "no instance label: it was empty. \(series)")
            let quantile = try await client.get("/api/v1/query?query=duration_seconds%7Bquantile%3D%220.5%22%7D").text
            #expect(quantile.contains("\"1.5\""), "\(quantile)")
        }
    }

    @Test func randomRequestsNeverBreakTheServer() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            var random = SplitMix64(seed: 5)
            // Mutated after "/metrics/", so every request reaches the Pushgateway routes (an
            // unrouted 404 does not read the body, and the test client cannot reconnect).
            let paths = ["job/a", "job/a/b/c", "job@base64/YQ", "job/a/x@base64/=", "job/%C3%A9"]
            let bodies = [Self.body, "x 1\n", "# TYPE x counter\nx 2\n", "x{job=\"y\"} 3\n", ""]
            // Path bytes a request line may carry; bodies take anything.
            let pathPieces = Array("/@=%_-.~:+abcx1YQ".utf8)
            let bodyPieces = Array("/@=%{}\"\\\n #abcx1_".utf8) + [0xFF, 0x00]
            for _ in 0..<300 {
                var path = Array(paths[Int(random.next() % UInt64(paths.count))].utf8)
                var body = Array(bodies[Int(random.next() % UInt64(bodies.count))].utf8)
                for _ in 0..<Int(random.next() % 3) {
                    path.insert(pathPieces[Int(random.next() % UInt64(pathPieces.count))], at: Int(random.next() % UInt64(path.count + 1)))
                    body.insert(bodyPieces[Int(random.next() % UInt64(bodyPieces.count))], at: Int(random.next() % UInt64(body.count + 1)))
                }
                let method: HTTPRequest.Method = [.put, .post, .delete][Int(random.next() % 3)]
                let uri = "/metrics/" + String(decoding: path, as: UTF8.self)
                let response = try await client.execute(.init(uri, method: method, body: ByteBuffer(bytes: body)))
                #expect(response.status.code < 500, "\(method) \(uri): \(response.status) \(response.text)")
            }
            #expect(try await client.get("/pushgateway/metrics").status == .ok)
            #expect(try await client.get("/api/v1/metrics").status == .ok)
            #expect(try await client.get("/-/healthy").status == .ok)
        }
    }
}
