public import VigilNodeAgent
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The Hummingbird application every Vigil process serves its router with: HTTP/1.1 on
/// `listen`, a 5-minute idle timeout, and on start-up readiness marked, the bound address logged
/// and handed to `onReady` (the port the kernel chose when `listen` said 0). `webSocketUpgrade`
/// decides which requests become WebSockets (Loki's tail); every other request goes to `router`.
enum HTTPApplication {
    /// Chooses, from a request's head, whether to upgrade it to a WebSocket and what serves it.
    typealias WebSocketUpgrade = @Sendable (HTTPRequest, Logger) -> ShouldUpgradeResult<
        WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>
    >

    static func make(
        router: Router<BasicRequestContext>, listen: ListenAddress, readiness: Readiness, logger: Logger,
        readyMessage: Logger.Message, webSocketUpgrade: WebSocketUpgrade? = nil,
        onReady: @escaping @Sendable (ListenAddress) async -> Void
    ) -> some ApplicationProtocol {
        Application(
            router: router,
            server: .http1WebSocketUpgrade(
                configuration: .init(
                    http1: .init(idleTimeout: .seconds(300)),
                    ws: .init(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: .seconds(30)), closeTimeout: .seconds(10))
                )
            ) { head, _, logger in
                webSocketUpgrade?(head, logger) ?? .dontUpgrade
            },
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
