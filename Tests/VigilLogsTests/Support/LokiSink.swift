import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import VigilRemote

/// A Loki push receiver on a loopback port: decodes each JSON push it accepts, in arrival order,
/// and answers with the statuses a test queues (then 204).
final class LokiSink: Sendable {
    struct Entry: Sendable, Hashable {
        let labels: [String: String]
        let timestamp: String
        let line: String
        /// Structured metadata (Loki 3's third `values` element / entry field 3).
        var metadata: [String: String] = [:]
    }

    private let answers = Mutex<[HTTPResponse.Status]>([])
    private let received = Mutex<[Entry]>([])
    private let requestCount = Atomic<Int>(0)
    /// Per accepted request: its first line's start and its line count.
    let batches = Mutex<[String]>([])
    let port: Int

    private init(port: Int) {
        self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)/loki/api/v1/push" }
    var entries: [Entry] { received.withLock { $0 } }
    var requests: Int { requestCount.load(ordering: .relaxed) }

    /// Answers the next requests with `statuses`, in order, before accepting again.
    func answer(_ statuses: [HTTPResponse.Status]) {
        answers.withLock { $0.append(contentsOf: statuses) }
    }

    static func with<T>(_ body: (LokiSink) async throws -> T) async throws -> T {
        let holder = Mutex<LokiSink?>(nil)
        let router = Router()
        router.post("/loki/api/v1/push") { request, _ -> Response in
            guard let sink = holder.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            sink.requestCount.wrappingAdd(1, ordering: .relaxed)
            let body = try await request.body.collect(upTo: 64 << 20)
            if let status = sink.answers.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                return Response(status: status)
            }
            var entries: [Entry] = []
            if request.headers[.contentType] == "application/x-protobuf" {
                guard let raw = try? Snappy.decompress(Array(buffer: body), maxDecodedLength: 64 << 20),
                      let streams = LokiProtobufDecoder.decode(raw)
                else { return Response(status: .badRequest) }
                for stream in streams {
                    let labels = LokiSink.parseLabels(stream.labels)
                    for entry in stream.entries {
                        entries.append(
                            Entry(labels: labels, timestamp: String(entry.nanoseconds), line: entry.line, metadata: entry.metadata))
                    }
                }
                sink.received.withLock { $0.append(contentsOf: entries) }
                return Response(status: .noContent)
            }
            guard let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
                  let streams = object["streams"] as? [[String: Any]]
            else { return Response(status: .badRequest) }
            for stream in streams {
                let labels = stream["stream"] as? [String: String] ?? [:]
                for value in stream["values"] as? [[Any]] ?? [] where value.count == 2 || value.count == 3 {
                    guard let timestamp = value[0] as? String, let line = value[1] as? String else { return Response(status: .badRequest) }
                    let metadata = value.count == 3 ? value[2] as? [String: String] : [:]
                    guard let metadata else { return Response(status: .badRequest) }
                    entries.append(Entry(labels: labels, timestamp: timestamp, line: line, metadata: metadata))
                }
            }
            sink.received.withLock { $0.append(contentsOf: entries) }
            sink.batches.withLock { $0.append(entries.first.map { "\($0.line.prefix(8))+\(entries.count)" } ?? "empty") }
            return Response(status: .noContent)
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "loki-sink")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        let task = Task { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw SinkFailure() }
        let sink = LokiSink(port: port)
        holder.withLock { $0 = sink }
        defer { task.cancel() }
        let result = try await body(sink)
        task.cancel()
        _ = await task.result
        return result
    }

    struct SinkFailure: Error {}

    /// `{a="b", c="d"}` as Loki writes stream selectors (values without escapes, as the tests use).
    static func parseLabels(_ text: String) -> [String: String] {
        var labels: [String: String] = [:]
        for pair in text.dropFirst().dropLast().components(separatedBy: ", ") where !pair.isEmpty {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            labels[String(pair[..<equals])] = String(pair[pair.index(equals, offsetBy: 2)..<pair.index(before: pair.endIndex)])
        }
        return labels
    }
}
