/// One source of node metrics (`cpu`, `meminfo`, ...), run once per scrape.
///
/// A collector reads its files through the context's ``FileReader`` and adds samples to its
/// ``MetricSink``. Throwing marks the collector failed for this scrape
/// (`node_scrape_collector_success{collector} 0`); samples it added before throwing are kept,
/// as node_exporter keeps metrics sent before an error. Implementations must be `Sendable` and
/// safe to run from several scrapes at once: per-scrape state lives in the context.
public protocol Collector: Sendable {
    /// The name node_exporter gives it, used in `--collector.<name>` and the `collector` label.
    var name: String { get }

    /// Adds this scrape's samples to `context.sink`.
    func collect(_ context: inout CollectorContext) throws(CollectorError)
}
