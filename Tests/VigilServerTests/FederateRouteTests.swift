import VigilTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilModel
import VigilRemote
import VigilServer

/// `/federate` over real HTTP, as Prometheus 2.42 answers it: samples written by remote write,
/// a config with external labels.
@Suite struct Federating {
    static let config = """
        global:
          external_labels:
            cluster: test
            zone: z1
        """

    /// Writes `series` (labels, then (value, timestamp) pairs) through remote write.
    static func write(_ client: TestClient, _ series: [([Label], [(Double, Int64)])]) async throws {
        let request = WriteRequest(timeseries: series.map { labels, samples in
            TimeSeries(labels: labels, samples: samples.map { .init(value: $0.0, timestamp: $0.1) })
        })
        let response = try await client.post(
            "/api/v1/write", headers: RemoteWriteTests.headers, body: ByteBuffer(bytes: request.compressedBody()))
        #expect(response.status == .noContent, "\(response.text)")
    }

    static func labels(_ pairs: KeyValuePairs<String, String>) -> [Label] {
        pairs.map { Label(name: $0.key, value: $0.value) }
    }

    @Test func latestNonStaleSamplesWithExternalLabels() async throws {
        let temp = try TemporaryDirectory()
        let configPath = temp.path + "/prometheus.yml"
        try Self.config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let now = Timestamps.now()
        try await withRunningServer(configPath: configPath, dataDirectory: temp.path + "/data") { client, _ in
            try await Self.write(client, [
                (Self.labels(["__name__": "fed_a", "instance": "h1", "job": "j"]), [(1, now - 20_000), (2, now - 10_000)]),
                (Self.labels(["__name__": "fed_a", "instance": "h2", "job": "j"]), [(0.5, now - 10_000)]),
                (Self.labels(["__name__": "fed_b", "job": "j", "path": "a\\b\"c\nd"]), [(3, now - 5_000)]),
                (Self.labels(["__name__": "fed_c", "cluster": "own", "instance": "h", "job": "j"]), [(1e6, now - 5_000)]),
                (Self.labels(["__name__": "fed_stale", "instance": "h", "job": "j"]), [(1, now - 20_000), (StaleNaN.value, now - 10_000)]),
                (Self.labels(["__name__": "fed_old", "instance": "h", "job": "j"]), [(1, now - 600_000)]),
                (Self.labels(["__name__": "other", "instance": "h", "job": "k"]), [(4, now - 5_000)]),
            ])

            let fedA = """
                # TYPE fed_a untyped
                fed_a{instance="h1",job="j",cluster="test",zone="z1"} 2 \(now - 10_000)
                fed_a{instance="h2",job="j",cluster="test",zone="z1"} 0.5 \(now - 10_000)

                """
            let response = try await client.get("/federate?match[]=%7Bjob%3D%22j%22%7D")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(
                response.text == fedA + """
                    # TYPE fed_b untyped
                    fed_b{job="j",path="a\\\\b\\"c\\nd",cluster="test",instance="",zone="z1"} 3 \(now - 5_000)
                    # TYPE fed_c untyped
                    fed_c{cluster="own",instance="h",job="j",zone="z1"} 1e+06 \(now - 5_000)

                    """)

            // Several selectors: their union, each series once.
            let union = try await client.get("/federate?match[]=fed_a&match[]=%7Binstance%3D%22h1%22%7D&match[]=other")
            #expect(
                union.text == fedA + """
                    # TYPE other untyped
                    other{instance="h",job="k",cluster="test",zone="z1"} 4 \(now - 5_000)

                    """)

            let none = try await client.get("/federate")
            #expect(none.status == .ok)
            #expect(none.text == "")

            let bad = try await client.get("/federate?match[]=bad%7B")
            #expect(bad.status == .badRequest)
            #expect(bad.text == "1:5: parse error: unexpected end of input inside braces\n")

            let post = try await client.post("/federate?match[]=fed_a", body: ByteBuffer())
            #expect(post.status == .methodNotAllowed)
        }
    }
}
