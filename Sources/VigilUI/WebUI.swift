public import Hummingbird
import HTTPTypes
import NIOCore

/// Vigil's web UI on the server's router: the application shell (`index.html`) at every page path
/// the client-side router knows, and the embedded files under `/static/`. Every answer carries
/// an `ETag` (a matching `If-None-Match` gets 304), `Cache-Control: no-cache` (file names carry no
/// content hash, so the browser revalidates; a 304 costs one small round trip) and the security
/// headers of ``UISecurityHeaders``.
public struct WebUI: Sendable {
    /// The paths answered with the application shell. Keep in step with `js/routes.js`.
    /// `/graph` is Prometheus's query page: alert generator URLs and Grafana's "explore" links
    /// point at `/graph?g0.expr=…`, and the router maps them to the Query page.
    public static let pagePaths: [String] = [
        "/", "/query", "/graph", "/logs", "/alerts", "/silences", "/rules", "/events", "/targets",
        "/service-discovery", "/status", "/config", "/flags", "/tsdb", "/tsdb-status", "/correlate",
    ]

    /// The URL prefix of the embedded files.
    public static let assetPrefix = "/static/"

    let store: UIAssetStore

    /// A UI serving `store`'s files.
    public init(store: UIAssetStore = UIAssetStore()) {
        self.store = store
    }

    /// Adds the page and asset routes to `router`.
    public func register(on router: Router<BasicRequestContext>) {
        let store = store
        for method in [HTTPRequest.Method.get, .head] {
            for path in Self.pagePaths {
                router.on(RouterPath(path), method: method) { request, _ in
                    Self.response(for: store.index, request: request)
                }
            }
            router.on("/static/**", method: method) { request, context in
                let path = context.parameters.getCatchAll().joined(separator: "/")
                guard let asset = store[path] else {
                    throw HTTPError(.notFound)
                }
                return Self.response(for: asset, request: request)
            }
        }
    }

    static func response(for asset: UIAsset, request: Request) -> Response {
        var headers = UISecurityHeaders.fields
        headers[.eTag] = asset.etag
        headers[.cacheControl] = "no-cache"
        if let condition = request.headers[.ifNoneMatch], asset.matches(ifNoneMatch: condition) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        headers[.contentLength] = String(asset.body.readableBytes)
        if request.method == .head {
            return Response(status: .ok, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
    }
}
