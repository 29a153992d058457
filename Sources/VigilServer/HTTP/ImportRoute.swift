import Hummingbird
import NIOCore
import VigilExposition
import VigilModel
import VigilTSDB

/// `POST /api/v1/import/prometheus`: samples in Prometheus text or OpenMetrics (by Content-Type),
/// as VictoriaMetrics accepts them. Samples without a timestamp are stored at the time of the
/// request. 204 when all are stored; 400 with the line and column for a body that does not parse,
/// or for a sample the store rejects (nothing of the request is stored then).
struct ImportRoute {
    let tsdb: TSDB
    let maxBodyBytes: Int

    func register(on router: Router<BasicRequestContext>) {
        router.post("/api/v1/import/prometheus") { request, _ in
            try await handle(request)
        }
    }

    func handle(_ request: Request) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await RequestBody.collect(request, upTo: maxBodyBytes)
        } catch let error as RequestBody.TooLarge {
            return error.response
        }
        let format = ExpositionFormat(contentType: request.headers[.contentType] ?? "")
        let families: [MetricFamily]
        do {
            families = try format.decodeFamilies(Array(body.readableBytesView))
        } catch {
            return PlainText.response(.badRequest, "line \(error.line), column \(error.column): \(error.message)\n")
        }
        let now = Timestamps.now()
        var appender = tsdb.appender()
        do {
            for family in families {
                for sample in family.samples {
                    var builder = LabelsBuilder(sample.labels)
                    builder.set("__name__", sample.name)
                    _ = try appender.append(ref: nil, labels: builder.build(), timestamp: sample.timestamp ?? now, value: sample.value)
                }
            }
            try appender.commit()
        } catch {
            appender.rollback()
            let retryable = error.kind == .io || error.kind == .corruption || error.kind == .closed
            return PlainText.response(retryable ? .internalServerError : .badRequest, "\(error)\n")
        }
        return Response(status: .noContent)
    }
}
