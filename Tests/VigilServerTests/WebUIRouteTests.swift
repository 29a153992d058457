import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilTestSupport

/// `vigil server` serves the web UI beside the APIs on one listener, and the UI's routes do not
/// shadow the APIs or the 404 of an unknown path.
@Suite struct WebUIRoutes {
    @Test func theServerServesTheUIBesideTheAPIs() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            for path in ["/", "/query", "/graph?g0.expr=up&g0.tab=1", "/targets", "/tsdb"] {
                let response = try await client.get(path)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                #expect(response.text.contains("/static/js/app.js"), "\(path) is the application shell")
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            }
            let script = try await client.get("/static/js/app.js")
            #expect(script.status == .ok && script.headers[.contentType] == "text/javascript; charset=utf-8")
            let functions = try await client.get("/static/promql-functions.json")
            #expect(functions.text.contains("\"histogram_quantile\""))
            let api = try await client.get("/api/v1/status/buildinfo")
            #expect(api.headers[.contentType]?.hasPrefix("application/json") == true, "the API is not shadowed")
            let unknown = try await client.get("/no-such-page")
            #expect(unknown.status == .notFound && unknown.text == "404 page not found\n")
            let missing = try await client.get("/static/js/none.js")
            #expect(missing.status == .notFound && missing.text == "404 page not found\n")
        }
    }
}
