import Hummingbird
import Logging
import NIOCore

/// The Hummingbird application every Vigil process serves its router with: HTTP/1.1 on
/// `listen`, a 5-minute idle timeout, and on start-up readiness marked, the bound address logged
/// and handed to `onReady` (the port the kernel chose when `listen` said 0).
enum HTTPApplication {
    static func make(
        router: Router<BasicRequestContext>, listen: ListenAddress, readiness: Readiness, logger: Logger,
        readyMessage: Logger.Message, onReady: @escaping @Sendable (ListenAddress) async -> Void
    ) -> some ApplicationProtocol {
        Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(300))),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: nil),
            onServerRunning: { channel in
                let bound = ListenAddress(host: listen.host, port: channel.localAddress?.port ?? listen.port)
                readiness.markReady()
                logger.info(readyMessage, metadata: ["address": "\(bound)"])
                await onReady(bound)
            },
            logger: logger
        )
    }
}
