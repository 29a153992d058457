import Hummingbird
import VigilExposition
import VigilModel

/// `/metrics`: Vigil's own metrics in the format the scraper asks for (`Accept` negotiation:
/// OpenMetrics only when requested, text 0.0.4 otherwise, as client_golang does).
struct MetricsRoute {
    let registry: MetricsRegistry

    func register(on router: Router<BasicRequestContext>) {
        router.get("/metrics") { request, _ in
            let format = ExpositionFormat.negotiate(accept: request.headers[.accept] ?? "")
            let body = ExpositionWriter.write(registry.collect(), format: format)
            return Response(
                status: .ok,
                headers: [.contentType: format.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
    }
}
