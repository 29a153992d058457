import Hummingbird
import VigilCollectors
import VigilExposition
import VigilModel
import VigilNodeAgent

/// `/metrics` (and `/metrics/node`): metric families in the format the scraper asks for
/// (`Accept` negotiation: OpenMetrics only when requested, text 0.0.4 otherwise, as
/// client_golang does).
struct MetricsRoute {
    let path: RouterPath
    let collect: @Sendable () -> [MetricFamily]

    /// Vigil's own metrics at `/metrics`.
    init(registry: MetricsRegistry) {
        self.init(path: "/metrics") { registry.collect() }
    }

    /// The families `collect` returns, computed per request, at `path`.
    init(path: RouterPath, collect: @escaping @Sendable () -> [MetricFamily]) {
        self.path = path
        self.collect = collect
    }

    /// Vigil's own metrics and the node collector's at `/metrics`, as node_exporter serves its
    /// collectors beside its process metrics. Both lists come sorted by name, so they are merged
    /// rather than sorted again.
    init(registry: MetricsRegistry, node: NodeExporter) {
        self.init(path: "/metrics") { MetricFamilies.merge(registry.collect(), node.collect()) }
    }

    func register(on router: Router<BasicRequestContext>) {
        let collect = self.collect
        router.get(path) { request, _ in
            let format = ExpositionFormat.negotiate(accept: request.headers[.accept] ?? "")
            let body = ExpositionWriter.write(collect(), format: format)
            return Response(
                status: .ok,
                headers: [.contentType: format.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
    }
}
