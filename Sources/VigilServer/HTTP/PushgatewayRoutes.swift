import Hummingbird
import NIOCore
import VigilExposition
import VigilModel
import VigilScrape

/// The Pushgateway API (docs/PUSHGATEWAY.md), answering as Pushgateway 1.x does.
///
/// - `PUT`/`POST /metrics/job/<job>{/<label>/<value>}` (and the `@base64` forms): 200, 400 with the
///   reason, 413 past the body limit, 415 for protobuf or compressed bodies, 500 when the change
///   could not be written.
/// - `DELETE` on the same URLs: 202.
/// - `GET /api/v1/metrics`: the groups as the Pushgateway's JSON API lists them.
/// - `GET /pushgateway/metrics`: the pushed metrics in text format 0.0.4, as the Pushgateway's
///   `/metrics` shows them (without its own `go_*`/`process_*`/`pushgateway_*` metrics).
/// - `GET /pushgateway/api/v1/status`: the Pushgateway's status shape with Vigil's build and flags
///   (`/api/v1/status` itself is left alone: Prometheus owns `/api/v1/status/*`).
/// - `PUT /api/v1/admin/wipe`: 202, removes every group; only with `--web.enable-admin-api`.
struct PushgatewayRoutes {
    let store: PushgatewayStore
    let maxBodyBytes: Int
    let enableAdminAPI: Bool
    let flags: [(name: String, value: String)]
    /// When the server started, in nanoseconds since the epoch.
    let startTime: Int64

    func register(on router: Router<BasicRequestContext>) {
        router.put("/metrics/**") { request, _ in await push(request, replace: true) }
        router.post("/metrics/**") { request, _ in await push(request, replace: false) }
        router.delete("/metrics/**") { request, _ in await delete(request) }
        router.get("/metrics/**") { request, _ in
            Self.isPushPath(request.uri.path)
                ? PlainText.response(.methodNotAllowed, "Method Not Allowed\n")
                : PlainText.response(.notFound, "404 page not found\n")
        }
        router.get("/pushgateway/metrics") { _, _ in
            let text = await store.exposition().text
            return Response(
                status: .ok,
                headers: [.contentType: ExpositionFormat.text.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: text))
            )
        }
        router.get("/api/v1/metrics") { _, _ in
            APIResponse.success(PushgatewayJSON.groups(await store.snapshot))
        }
        router.get("/pushgateway/api/v1/status") { _, _ in status() }
        guard enableAdminAPI else { return }
        router.put("/api/v1/admin/wipe") { _, _ in
            do throws(PushgatewayError) {
                try await store.wipe()
            } catch {
                return PlainText.response(.internalServerError, error.message + "\n")
            }
            return Response(status: .accepted)
        }
    }

    private static func isPushPath(_ path: String) -> Bool {
        path.hasPrefix("/metrics/job/") || path.hasPrefix("/metrics/job@base64/")
    }

    private func push(_ request: Request, replace: Bool) async -> Response {
        // The body is read first even when the URL is bad: an unread body would cost the client
        // its keep-alive connection.
        let bytes: ByteBuffer
        do {
            bytes = try await RequestBody.collect(request, upTo: maxBodyBytes)
        } catch let error as RequestBody.TooLarge {
            return error.response
        } catch {
            return PlainText.response(.badRequest, "reading the body: \(error)\n")
        }
        do {
            let key = try GroupingKey.parse(path: request.uri.path)
            try PushBody.checkFormat(contentType: request.headers[.contentType], contentEncoding: request.headers[.contentEncoding])
            let body = try PushBody.decode(Array(bytes.readableBytesView))
            try await store.push(body, to: key, replace: replace)
        } catch {
            return Self.response(error)
        }
        return Response(status: .ok)
    }

    private func delete(_ request: Request) async -> Response {
        _ = try? await request.body.collect(upTo: maxBodyBytes)
        do {
            try await store.delete(try GroupingKey.parse(path: request.uri.path))
        } catch {
            return Self.response(error)
        }
        return Response(status: .accepted)
    }

    private static func response(_ error: PushgatewayError) -> Response {
        if error.httpStatus == 404 { return PlainText.response(.notFound, "404 page not found\n") }
        return PlainText.response(HTTPResponse.Status(code: error.httpStatus), error.message + "\n")
    }

    private func status() -> Response {
        let build = PushgatewayJSON.object([
            ("version", JSONQuoting.quote(BuildInfo.version)), ("revision", "\"\""),
            ("branch", JSONQuoting.quote(BuildInfo.branch)), ("buildUser", "\"\""), ("buildDate", "\"\""),
            ("goVersion", JSONQuoting.quote(BuildInfo.swiftVersion)),
        ])
        let flagObject = PushgatewayJSON.object(flags.map { ($0.name, JSONQuoting.quote($0.value)) })
        return APIResponse.success(PushgatewayJSON.object([
            ("build_information", build), ("flags", flagObject),
            ("start_time", JSONQuoting.quote(PushgatewayJSON.time(nanoseconds: startTime))),
        ]))
    }
}
