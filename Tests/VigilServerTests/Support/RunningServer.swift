import Foundation
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import VigilNodeAgent
import VigilServer

/// Runs a real `VigilServer` on an ephemeral loopback port for the duration of `body`.
func withRunningServer<Value: Sendable>(
    configPath: String?,
    dataDirectory: String,
    enableAdminAPI: Bool = false,
    alertmanagerConfigPath: String? = nil,
    _ body: @escaping @Sendable (TestClient, VigilServer) async throws -> Value
) async throws -> Value {
    try await withRunningServerPort(
        configPath: configPath, dataDirectory: dataDirectory, enableAdminAPI: enableAdminAPI,
        alertmanagerConfigPath: alertmanagerConfigPath
    ) { client, server, _ in try await body(client, server) }
}

/// ``withRunningServer`` that also hands `body` the bound port, for clients other than
/// `TestClient` (WebSockets).
func withRunningServerPort<Value: Sendable>(
    configPath: String?,
    dataDirectory: String,
    enableAdminAPI: Bool = false,
    alertmanagerConfigPath: String? = nil,
    _ body: @escaping @Sendable (TestClient, VigilServer, Int) async throws -> Value
) async throws -> Value {
    var options = ServerOptions(
        listen: ListenAddress(host: "127.0.0.1", port: 0),
        dataDirectory: dataDirectory,
        configPath: configPath,
        enableAdminAPI: enableAdminAPI
    )
    options.alertmanagerConfigPath = alertmanagerConfigPath
    options.externalURL = "http://vigil.example:9470"
    let server = VigilServer(options: options, logger: Logger(label: "test"))
    let (addresses, continuation) = AsyncStream<ListenAddress>.makeStream()
    let runTask = Task {
        try await server.run(onReady: { continuation.yield($0) })
    }
    var iterator = addresses.makeAsyncIterator()
    guard let address = await iterator.next() else {
        throw TestFailure("server stopped before it was ready")
    }
    do {
        let value = try await TestClient.withClient(host: "127.0.0.1", port: address.port) { client in
            try await body(client, server, address.port)
        }
        runTask.cancel()
        _ = await runTask.result
        return value
    } catch {
        runTask.cancel()
        _ = await runTask.result
        throw error
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TestClient.Response {
    var text: String {
        body.map { String(buffer: $0) } ?? ""
    }
}
