public import Hummingbird
import Logging

/// An HTTP server on 127.0.0.1 at a port the kernel picks, for tests that need a real peer:
/// an exporter to scrape, an Alertmanager or webhook to post to, a remote-write receiver.
public enum LoopbackHTTPServer {
    /// Why the server could not start.
    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String { "the loopback HTTP server stopped before it listened" }
    }

    /// Serves `router` while `body` runs with the bound port, then stops the server (also when
    /// `body` throws).
    public static func run<T>(_ router: Router<BasicRequestContext>, _ body: (Int) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "loopback-http")
        logger.logLevel = .critical
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        let task = Task { try await application.runService() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port != 0 else {
            task.cancel()
            throw StartFailure()
        }
        do {
            let result = try await body(port)
            task.cancel()
            _ = await task.result
            return result
        } catch {
            task.cancel()
            _ = await task.result
            throw error
        }
    }
}
