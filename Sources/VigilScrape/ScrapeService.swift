public import ServiceLifecycle
public import VigilDiscovery

/// Runs discovery and feeds its updates to the scrape manager until graceful shutdown, then
/// stops every loop (no stale markers: the data simply ends, as with Prometheus).
public struct ScrapeService: Service {
    let discovery: DiscoveryManager
    let manager: ScrapeManager

    /// A service over `discovery` and `manager`, both already configured.
    public init(discovery: DiscoveryManager, manager: ScrapeManager) {
        self.discovery = discovery
        self.manager = manager
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async throws {
        let discovery = self.discovery
        let manager = self.manager
        await cancelWhenGracefulShutdown {
            await discovery.run { groups in await manager.sync(groups) }
        }
        await discovery.shutdown()
        await manager.stop()
    }
}
