import Foundation
import Testing
import VigilConfig
import VigilModel
import VigilRemote
import VigilTestSupport
@testable import VigilLogs

@Suite struct HTTPInputTests {
    /// Sends one HTTP/1.1 request over a plain socket and returns the status line and body.
    func request(_ port: Int, path: String, contentType: String, body: [UInt8]) -> (status: Int, body: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let head = "POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(head.utf8) + body
        var done = 0
        while done < bytes.count {
            let written = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            done += written
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            response += chunk[0..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        return (status, body)
    }

    /// Runs `body` (blocking socket calls) on a thread of its own: on the two threads of a CI
    /// machine's concurrency pool, two blocked readers would starve the server that answers them.
    func withInput(
        _ harness: InputHarness, maxBodySize: Int64 = 10 << 20, _ body: @escaping @Sendable (Int) throws -> Void
    ) async throws {
        var config = HTTPInputConfig(name: "in", address: ListenAddress(host: "127.0.0.1", port: 0))
        config.maxBodySize = ByteSize(bytes: maxBodySize)
        config.labels = ["source": "http"]
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let input = HTTPInput(config: config, context: harness.context) { continuation.yield($0) }
        let task = Task { try await input.run() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        defer { task.cancel() }
        try await onDedicatedThread { try body(port) }
        task.cancel()
        _ = await task.result
    }

    @Test func lokiJSONAndProtobufPushesAreBufferedBefore204() async throws {
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        try await withInput(harness) { port in
            let json = #"{"streams":[{"stream":{"app":"a"},"values":[["1700000000000000001","first"],["1700000000000000002","second"]]}]}"#
            let answer = request(port, path: "/loki/api/v1/push", contentType: "application/json", body: Array(json.utf8))
            #expect(answer.status == 204, "\(answer)")
            // Answered 204: the lines are already in the buffer.
            #expect(harness.texts == ["first", "second"])
            #expect(harness.lines[0].labels == ["app": "a", "source": "http"])
            #expect(harness.lines[1].record.timestamp == 1_700_000_000_000_000_002)

            let frame = BufferFrame(
                sequence: 1, checkpoint: .none(input: "x"), labels: [(name: "app", value: "b")],
                records: [LogRecord(timestamp: 1_700_000_005_000_000_007, line: Array("from protobuf".utf8))])
            let snappy = Snappy.compress(LokiPushEncoder.protobuf(OutputEntry.entries([frame], extraLabels: [:])))
            let protobuf = request(port, path: "/loki/api/v1/push", contentType: "application/x-protobuf", body: snappy)
            #expect(protobuf.status == 204, "\(protobuf)")
            #expect(harness.texts.last == "from protobuf")
            #expect(harness.lines.last?.labels["app"] == "b")
            #expect(harness.lines.last?.record.timestamp == 1_700_000_005_000_000_007)
        }
    }

    @Test func plainJSONObjectsArraysAndNDJSON() async throws {
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        try await withInput(harness) { port in
            let bodies = [
                #"{"message":"one","time":"2026-01-02T03:04:05Z","other":{"x":[1,2]}}"#,
                #"[{"log":"two"},{"message":"three"}]"#,
                "{\"log\":\"four\"}\n\n{\"message\":\"five\"}\n",
                "{\n  \"message\": \"six\"\n}\n",
            ]
            for body in bodies {
                let answer = request(port, path: "/", contentType: "application/json", body: Array(body.utf8))
                #expect(answer.status == 204, "\(body): \(answer)")
            }
            #expect(harness.texts == ["one", "two", "three", "four", "five", "six"])
            #expect(harness.lines[0].record.timestamp == 1_767_323_045_000_000_000)
        }
    }

    @Test func malformedAndOversizedBodiesNameTheByteOffset() async throws {
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        try await withInput(harness, maxBodySize: 2048) { port in
            let ndjson = request(port, path: "/", contentType: "application/json", body: Array("{\"message\":\"ok\"}\n{\"message\":oops}\n".utf8))
            #expect(ndjson.status == 400)
            #expect(ndjson.body.contains("at byte offset 28"), "\(ndjson.body)")
            let missing = request(port, path: "/", contentType: "application/json", body: Array(#"[{"msg":"x"}]"#.utf8))
            #expect(missing.status == 400)
            #expect(missing.body.contains("no \"message\" or \"log\" string at byte offset 1"), "\(missing.body)")
            let big = request(port, path: "/", contentType: "application/json", body: [UInt8](repeating: 32, count: 5000))
            #expect(big.status == 413)
            #expect(big.body.contains("exceeds max_body_size (2048 bytes) at byte offset 2048"), "\(big.body)")
            let badLoki = request(port, path: "/loki/api/v1/push", contentType: "application/json", body: Array("{\"streams\":[".utf8))
            #expect(badLoki.status == 400)
        }
        #expect(harness.frames.isEmpty)
        #expect(harness.errors("malformed") == 3)
        #expect(harness.errors("too_large") == 1)
    }

    @Test func fuzzedPlainJSONBodiesDecodeOrThrow() {
        var random = SplitMix64(seed: 204)
        let seed = Array("[{\"message\":\"a\",\"time\":\"2026-01-02T03:04:05Z\"},{\"log\":\"b\"}]\n".utf8)
        for _ in 0..<3000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            do {
                let lines = try PlainJSONLines.decode(bytes)
                #expect(lines.count <= 2)
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
    }
}
