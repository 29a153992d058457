import VigilTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilExposition
import VigilModel
import VigilRemote
import VigilServer

/// The remote-write receiver over real HTTP: status codes as Prometheus answers them, and samples
/// landing in the store.
@Suite struct RemoteWriteTests {
    static let headers: HTTPFields = [
        .contentType: "application/x-protobuf", .contentEncoding: "snappy",
        HTTPField.Name("X-Prometheus-Remote-Write-Version")!: "0.1.0",
    ]

    static func body(series: Int, samplesEach: Int, start: Int64 = 1_700_000_000_000, extraLabel: (String, String)? = nil) -> ByteBuffer {
        let request = WriteRequest(timeseries: (0..<series).map { index in
            var labels = [Label(name: "__name__", value: "rw_test"), Label(name: "instance", value: "host\(index)")]
            if let extraLabel { labels.append(Label(name: extraLabel.0, value: extraLabel.1)) }
            return TimeSeries(
                labels: labels,
                samples: (0..<samplesEach).map { .init(value: Double($0), timestamp: start + Int64($0) * 15_000) }
            )
        })
        return ByteBuffer(bytes: request.compressedBody())
    }

    @Test func storesSamplesAndAnswers204() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            let response = try await client.post("/api/v1/write", headers: Self.headers, body: Self.body(series: 50, samplesEach: 4))
            #expect(response.status == .noContent, "\(response.text)")
            let metrics = try parseFamilies(try await client.get("/metrics").text, format: .text)
            #expect(metrics["vigil_tsdb_head_series"]?.samples.first?.value == 50)
            #expect(metrics["vigil_remote_write_samples_total"]?.samples.first?.value == 200)
        }
    }

    @Test func remoteReadReturnsSampledSeries() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            #expect(try await client.post("/api/v1/write", headers: Self.headers, body: Self.body(series: 3, samplesEach: 4)).status == .noContent)
            let read = ReadRequest(queries: [
                .init(
                    startTimestampMs: 1_700_000_015_000, endTimestampMs: 1_700_000_030_000,
                    matchers: [.init(type: .equal, name: "__name__", value: "rw_test"), .init(type: .regexMatch, name: "instance", value: "host[02]")]
                ),
            ], acceptedResponseTypes: [.samples])
            let response = try await client.post(
                "/api/v1/read", headers: [.contentType: "application/x-protobuf", .contentEncoding: "snappy"],
                body: ByteBuffer(bytes: Snappy.compress(read.serializedBytes()))
            )
            #expect(response.status == .ok)
            #expect(response.headers[.contentEncoding] == "snappy")
            let bytes = try #require(response.body.map { Array($0.readableBytesView) })
            let decoded = try bytes.withUnsafeBytes { try Snappy.decompress($0, maxDecodedLength: 1 << 20) }
            let result = try decoded.withUnsafeBytes { try ReadResponse(serializedBytes: $0) }
            let series = try #require(result.results.first?.timeseries)
            #expect(series.map { $0.labels.first { $0.name == "instance" }?.value } == ["host0", "host2"])
            #expect(series[0].samples == [.init(value: 1, timestamp: 1_700_000_015_000), .init(value: 2, timestamp: 1_700_000_030_000)])

            let garbage = try await client.post("/api/v1/read", body: ByteBuffer(bytes: [1, 2, 3]))
            #expect(garbage.status == .badRequest)
        }
    }

    @Test func rejectsBadBodiesWith400() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            let garbage = try await client.post("/api/v1/write", headers: Self.headers, body: ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2]))
            #expect(garbage.status == .badRequest)
            let badLabel = try await client.post(
                "/api/v1/write", headers: Self.headers, body: Self.body(series: 1, samplesEach: 1, extraLabel: ("bad-name", "x"))
            )
            #expect(badLabel.status == .badRequest)
            #expect(badLabel.text.contains("bad-name"), "\(badLabel.text)")

            // A sample far older than its series' newest is out of bounds: 400 and nothing stored.
            #expect(try await client.post("/api/v1/write", headers: Self.headers, body: Self.body(series: 1, samplesEach: 2)).status == .noContent)
            let old = try await client.post(
                "/api/v1/write", headers: Self.headers, body: Self.body(series: 2, samplesEach: 1, start: 1_600_000_000_000)
            )
            #expect(old.status == .badRequest)
            let metrics = try parseFamilies(try await client.get("/metrics").text, format: .text)
            #expect(metrics["vigil_tsdb_head_series"]?.samples.first?.value == 1, "a rejected request must store nothing")
        }
    }

    @Test func acknowledgedWritesSurviveSIGKILL() async throws {
        let temp = try TemporaryDirectory()
        let arguments = ["server", "--data-dir", temp.path + "/data", "--listen", "127.0.0.1:0"]
        let first = try VigilProcess(arguments)
        try first.start()
        let port = try #require(await first.waitForListenPort(), "\(first.standardError)")
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            for round in 0..<5 {
                let response = try await client.post(
                    "/api/v1/write", headers: Self.headers,
                    body: Self.body(series: 20, samplesEach: 10, start: 1_700_000_000_000 + Int64(round) * 150_000)
                )
                #expect(response.status == .noContent)
            }
        }
        first.signal(SIGKILL)
        #expect(first.waitForExit(timeout: 10))

        let second = try VigilProcess(arguments)
        try second.start()
        defer { second.signal(SIGTERM); _ = second.waitForExit(timeout: 10) }
        let secondPort = try #require(await second.waitForListenPort(), "\(second.standardError)")
        try await TestClient.withClient(host: "127.0.0.1", port: secondPort) { client in
            let metrics = try parseFamilies(try await client.get("/metrics").text, format: .text)
            #expect(metrics["vigil_tsdb_head_series"]?.samples.first?.value == 20)
            #expect(metrics["vigil_tsdb_head_samples_appended_total"]?.samples.first?.value == 1000)
        }
    }
}
