import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import VigilModel
import VigilRemote
import VigilTestSupport

/// A remote-write receiver on a loopback port: decodes every request it accepts and answers
/// with the statuses a test queues (then 204).
final class TestReceiver: Sendable {
    struct Received: Sendable, Hashable {
        let labels: Labels
        let timestamp: Int64
        let value: Double
    }

    private let answers = Mutex<[(HTTPResponse.Status, [(String, String)])]>([])
    private let received = Mutex<[Received]>([])
    private let requestCount = Atomic<Int>(0)
    let port: Int

    private init(port: Int) {
        self.port = port
    }

    /// Answers the next requests with `statuses`, in order, before accepting again.
    func answer(_ statuses: [HTTPResponse.Status], headers: [(String, String)] = []) {
        answers.withLock { $0.append(contentsOf: statuses.map { ($0, headers) }) }
    }

    var samples: [Received] { received.withLock { $0 } }

    /// Forgets the queued answers: accept from now on.
    func reset() {
        answers.withLock { $0.removeAll() }
    }
    var requests: Int { requestCount.load(ordering: .relaxed) }
    var url: String { "http://127.0.0.1:\(port)/api/v1/write" }

    static func with<T>(_ body: (TestReceiver) async throws -> T) async throws -> T {
        let holder = Mutex<TestReceiver?>(nil)
        let router = Router()
        router.post("/api/v1/write") { request, _ -> Response in
            guard let receiver = holder.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            receiver.requestCount.wrappingAdd(1, ordering: .relaxed)
            let body = try await request.body.collect(upTo: 64 << 20)
            if let (status, headers) = receiver.answers.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                var fields = HTTPFields()
                for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
                return Response(status: status, headers: fields)
            }
            let raw = try Snappy.decompress(Array(buffer: body), maxDecodedLength: 64 << 20)
            let decoded = try raw.withUnsafeBytes { try WriteRequest(serializedBytes: $0) }
            receiver.received.withLock { list in
                for series in decoded.timeseries {
                    let labels = Labels(series.labels)
                    for sample in series.samples {
                        list.append(Received(labels: labels, timestamp: sample.timestamp, value: sample.value))
                    }
                }
            }
            return Response(status: .noContent)
        }
        return try await LoopbackHTTPServer.run(router) { port in
            let receiver = TestReceiver(port: port)
            holder.withLock { $0 = receiver }
            return try await body(receiver)
        }
    }

}
