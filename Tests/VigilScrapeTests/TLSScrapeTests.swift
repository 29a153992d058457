import VigilTestSupport
import Crypto
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import SwiftASN1
import Testing
import VigilModel
import X509
@testable import VigilScrape

/// Scraping over HTTPS: `tls_config` with a CA file verifies the exporter, `insecure_skip_verify`
/// skips verification, and without trust the scrape fails with the TLS error.
@Suite struct ScrapingOverTLS {
    typealias Material = TestCertificate

    static func selfSigned() throws -> Material { try TestCertificate.selfSigned() }

    /// An HTTPS exporter serving `body` at /metrics for the duration of `run`.
    static func withTLSExporter(_ material: Material, body: String, run: (Int) async throws -> Void) async throws {
        let router = Router()
        router.get("/metrics") { _, _ in body }
        let tls = try material.serverConfiguration()
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "tls-exporter")
        logger.logLevel = .critical
        let app = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        do {
            try await run(port)
        } catch {
            task.cancel()
            throw error
        }
        task.cancel()
        _ = await task.result
    }

    @Test func caFileVerifiesTheExporter() async throws {
        let material = try Self.selfSigned()
        let directory = try TemporaryDirectory()
        let caFile = try directory.write("ca.pem", material.certificatePEM)
        try await Self.withTLSExporter(material, body: "secure_metric 7\n") { port in
            let trusted = try ScrapeHarness(
                directory: directory.path + "/trusted",
                scrapeConfig: "job_name: tls\nscheme: https\ntls_config:\n  ca_file: \(caFile)", address: "localhost:\(port)")
            await trusted.scrape()
            #expect(trusted.loop.status.lastError == "")
            #expect(try trusted.last("secure_metric") == 7)
            await trusted.close()

            let untrusted = try ScrapeHarness(
                directory: directory.path + "/untrusted", scrapeConfig: "job_name: tls\nscheme: https", address: "localhost:\(port)")
            await untrusted.scrape()
            #expect(untrusted.loop.status.health == .down)
            #expect(!untrusted.loop.status.lastError.isEmpty)
            await untrusted.close()

            let skipping = try ScrapeHarness(
                directory: directory.path + "/skipping",
                scrapeConfig: "job_name: tls\nscheme: https\ntls_config:\n  insecure_skip_verify: true", address: "localhost:\(port)")
            await skipping.scrape()
            #expect(try skipping.last("secure_metric") == 7)
            await skipping.close()
        }
    }

    @Test func aMissingCAFileIsASetupErrorNamingTheFile() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: (any Error).self) {
            _ = try ScrapeHarness(
                directory: directory.path,
                scrapeConfig: "job_name: tls\nscheme: https\ntls_config:\n  cert_file: /nonexistent/cert.pem\n  key_file: /nonexistent/key.pem",
                address: "127.0.0.1:1")
        }
    }
}
