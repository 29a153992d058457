import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VigilPromQL
@testable import VigilUI

/// The UI's HTTP surface: the shell at every page path, the embedded files with their media
/// types, entity tags and security headers, and 404 for what is not there.
@Suite struct WebUIServing {
    static let store = UIAssetStore()

    func withUI(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router()
        WebUI(store: Self.store).register(on: router)
        try await Application(router: router).test(.router, body)
    }

    @Test func filesAreServedWithTheirMediaTypes() async throws {
        try await withUI { client in
            let cases: [(String, String)] = [
                ("/static/js/app.js", "text/javascript; charset=utf-8"),
                ("/static/js/pages/query.js", "text/javascript; charset=utf-8"),
                ("/static/css/app.css", "text/css; charset=utf-8"),
                ("/static/index.html", "text/html; charset=utf-8"),
                ("/static/favicon.svg", "image/svg+xml"),
                ("/static/promql-functions.json", "application/json"),
            ]
            for (path, type) in cases {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType] == type, "\(path)")
                let stored = Self.store[String(path.dropFirst("/static/".count))]
                #expect(stored.map { response.body == $0.body } == true, "\(path): the embedded bytes")
                #expect(response.headers[.contentLength] == String(response.body.readableBytes))
            }
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        try await withUI { client in
            for path in ["/", "/query", "/static/js/app.js", "/static/css/app.css"] {
                let response = try await client.execute(uri: path, method: .get)
                let policy = try #require(response.headers[.contentSecurityPolicy], "\(path)")
                #expect(policy.contains("script-src 'self'"))
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(policy.contains("default-src 'none'"))
                #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "no inline script or eval")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[.cacheControl] == "no-cache")
            }
        }
    }

    @Test func entityTagsAnswerNotModified() async throws {
        try await withUI { client in
            let first = try await client.execute(uri: "/static/js/chart.js", method: .get)
            let tag = try #require(first.headers[.eTag])
            #expect(tag.hasPrefix("\"") && tag.hasSuffix("\""), "a strong, quoted tag")
            for header in [tag, "W/\(tag)", "\"other\", \(tag)", "*"] {
                let again = try await client.execute(uri: "/static/js/chart.js", method: .get, headers: [.ifNoneMatch: header])
                #expect(again.status == .notModified, "If-None-Match: \(header)")
                #expect(again.body.readableBytes == 0)
                #expect(again.headers[.eTag] == tag)
            }
            let stale = try await client.execute(uri: "/static/js/chart.js", method: .get, headers: [.ifNoneMatch: "\"0\""])
            #expect(stale.status == .ok)
            let other = try await client.execute(uri: "/static/js/dom.js", method: .get)
            #expect(other.headers[.eTag] != tag, "different content, different tag")
            let shell = try await client.execute(uri: "/targets", method: .get)
            let again = try await client.execute(uri: "/tsdb", method: .get, headers: [.ifNoneMatch: shell.headers[.eTag] ?? ""])
            #expect(again.status == .notModified, "every page path is the same document")
        }
    }

    @Test func unknownFilesAreNotFound() async throws {
        try await withUI { client in
            for path in ["/static/js/missing.js", "/static/", "/static/../Package.swift", "/static/js/../../WebUI.swift", "/static/.hidden"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
            }
            let response = try await client.execute(uri: "/no-such-page", method: .get)
            #expect(response.status == .notFound, "only the UI's page paths answer with the shell")
        }
    }

    @Test func everyPagePathAnswersTheShell() async throws {
        try await withUI { client in
            for path in WebUI.pagePaths + ["/graph?g0.expr=rate(up%5B5m%5D)&g0.tab=0", "/query?g0.expr=up&g1.expr=1", "/targets?pool=x"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                #expect(response.body == Self.store.index.body, "\(path)")
                let head = try await client.execute(uri: path, method: .head)
                #expect(head.status == .ok && head.body.readableBytes == 0, "HEAD \(path)")
            }
        }
    }

    @Test func mediaTypesByExtension() {
        #expect(UIAsset.mediaType(forPath: "a/b.MJS") == "text/javascript; charset=utf-8")
        #expect(UIAsset.mediaType(forPath: "x.woff2") == "font/woff2")
        #expect(UIAsset.mediaType(forPath: "README") == "application/octet-stream")
        #expect(UIAsset.mediaType(forPath: ".js/x") == "application/octet-stream")
    }
}
