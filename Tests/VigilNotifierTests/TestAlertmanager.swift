import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import VigilTestSupport

/// An Alertmanager stand-in on a loopback port: records the JSON bodies posted to
/// `/api/v2/alerts` (and `/prefix/api/v2/alerts`), answering with a status the test chooses.
final class TestAlertmanager: Sendable {
    private let bodies = Mutex<[Data]>([])
    private let status = Mutex<HTTPResponse.Status>(.ok)
    private let paths = Mutex<[String]>([])
    let port: Int

    private init(port: Int) {
        self.port = port
    }

    var address: String { "127.0.0.1:\(port)" }

    /// The alerts of every request, in arrival order.
    var received: [[[String: Any]]] {
        bodies.withLock { $0 }.map { (try? JSONSerialization.jsonObject(with: $0)) as? [[String: Any]] ?? [] }
    }
    /// The path of every request.
    var requestPaths: [String] { paths.withLock { $0 } }

    func answer(_ newStatus: HTTPResponse.Status) {
        status.withLock { $0 = newStatus }
    }

    static func with<T>(_ body: (TestAlertmanager) async throws -> T) async throws -> T {
        let holder = Mutex<TestAlertmanager?>(nil)
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            guard let manager = holder.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            let data = try await request.body.collect(upTo: 1 << 20)
            let raw = Data(data.readableBytesView)
            manager.paths.withLock { $0.append(request.uri.path) }
            let status = manager.status.withLock { $0 }
            if status == .ok { manager.bodies.withLock { $0.append(raw) } }
            return Response(status: status)
        }
        router.post("/api/v2/alerts", use: handler)
        router.post("/prefix/api/v2/alerts", use: handler)
        router.post("/api/v1/alerts", use: handler)
        return try await LoopbackHTTPServer.run(router) { port in
            let manager = TestAlertmanager(port: port)
            holder.withLock { $0 = manager }
            return try await body(manager)
        }
    }

}
