/// One discovery mechanism instance (one entry of a `*_sd_configs` list).
///
/// ``run(send:)`` keeps discovering until its task is cancelled, calling `send` with the whole
/// current list of groups each time it changes; a send replaces everything this provider sent
/// before. A provider that hits an error keeps its last good groups and tries again later.
public protocol DiscoveryProvider: Sendable {
    /// A short name for logs and metrics: `static`, `file`, `http`, `dns`.
    var mechanism: String { get }
    /// Discovers until cancelled.
    func run(send: @escaping @Sendable ([TargetGroup]) async -> Void) async
}
