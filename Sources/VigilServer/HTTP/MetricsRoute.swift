import Hummingbird
import VigilExposition
import VigilModel

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
