import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing
import VigilConfig
import VigilHTTPClient
import VigilTestSupport
@testable import VigilLogs

/// Who may push to the HTTP input (`basic_auth`, `authorization`), and TLS on the HTTP and
/// syslog inputs (`tls_server_config`).
@Suite struct PushSecurityTests {
    /// A serving certificate and key written to files, and a client that trusts them.
    final class Served {
        let certificate: TestCertificate
        let server: ServerTLSConfig
        let directory: TemporaryDirectory

        init() throws {
            certificate = try TestCertificate.selfSigned()
            directory = try TemporaryDirectory()
            server = ServerTLSConfig(
                certFile: try directory.write("tls.crt", certificate.certificatePEM),
                keyFile: try directory.write("tls.key", certificate.keyPEM))
        }

        /// An HTTP client trusting the certificate.
        func client() throws -> ConfiguredHTTPClient {
            var config = HTTPClientConfig()
            config.tlsConfig.ca = certificate.certificatePEM
            return try ConfiguredHTTPClient(config: config)
        }
    }

    /// Runs an HTTP input while `body` gets its port.
    func withHTTPInput(
        _ config: HTTPInputConfig, harness: InputHarness, tls: TLSConfiguration? = nil, _ body: (Int) async throws -> Void
    ) async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let input = HTTPInput(config: config, context: harness.context, tls: tls) { continuation.yield($0) }
        let task = Task { try await input.run() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        defer { task.cancel() }
        try await body(port)
        task.cancel()
        _ = await task.result
    }

    /// POSTs a plain JSON line with `authorization` as the header; the status.
    func push(_ client: HTTPClient, _ url: String, authorization: String?, line: String) async throws -> UInt {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(string: #"{"message":"\#(line)"}"#))
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.status.code
    }

    @Test func basicAuthAndTokensAreCheckedAndTokenFilesReRead() async throws {
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        var config = HTTPInputConfig(name: "in", address: ListenAddress(host: "127.0.0.1", port: 0))
        config.basicAuth = BasicAuth(username: "promtail", passwordFile: try directory.write("pw", "s3cret\n"))
        let tokenFile = try directory.write("token", "t0ken-1")
        config.authorization = Authorization(type: "Bearer", credentialsFile: tokenFile)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        try await withHTTPInput(config, harness: harness) { port in
            let url = "http://127.0.0.1:\(port)/"
            let basic = { (user: String, password: String) in "Basic " + Data("\(user):\(password)".utf8).base64EncodedString() }
            #expect(try await push(client, url, authorization: nil, line: "anonymous") == 401)
            #expect(try await push(client, url, authorization: basic("promtail", "wrong"), line: "wrong password") == 401)
            #expect(try await push(client, url, authorization: basic("other", "s3cret"), line: "wrong user") == 401)
            #expect(try await push(client, url, authorization: "Bearer t0ken-2", line: "wrong token") == 401)
            #expect(try await push(client, url, authorization: basic("promtail", "s3cret"), line: "basic") == 204)
            #expect(try await push(client, url, authorization: "Bearer t0ken-1", line: "bearer") == 204)
            try "t0ken-2\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
            #expect(try await push(client, url, authorization: "Bearer t0ken-1", line: "old token") == 401)
            #expect(try await push(client, url, authorization: "bearer t0ken-2", line: "rotated token") == 204)
        }
        try await client.shutdown()
        #expect(harness.texts == ["basic", "bearer", "rotated token"])
        #expect(harness.errors("unauthorized") == 5)
    }

    @Test func theHTTPInputServesTLS() async throws {
        let served = try Served()
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        let config = HTTPInputConfig(name: "in", address: ListenAddress(host: "127.0.0.1", port: 0))
        let client = try served.client()
        let plain = HTTPClient(eventLoopGroupProvider: .singleton)
        try await withHTTPInput(config, harness: harness, tls: try ServerTLS.configuration(served.server)) { port in
            let status = try await push(client.client, "https://localhost:\(port)/", authorization: nil, line: "over tls")
            #expect(status == 204)
            // Plain HTTP gets no answer a client could take for a success.
            let refused = await #expect(throws: (any Error).self) {
                try await push(plain, "http://127.0.0.1:\(port)/", authorization: nil, line: "in clear")
            }
            #expect(refused != nil)
        }
        await client.shutdown()
        try await plain.shutdown()
        #expect(harness.texts == ["over tls"])
    }

    @Test func theSyslogInputServesTLSWithClientCertificates() async throws {
        let served = try Served()
        let clientCertificate = try TestCertificate.selfSigned()
        var server = served.server
        server.clientAuth = .requireAndVerify
        server.clientCAFile = try served.directory.write("clients.pem", clientCertificate.certificatePEM)
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        var config = SyslogInputConfig(name: "in", mode: .tcp, address: ListenAddress(host: "127.0.0.1", port: 0))
        config.batchWait = PromDuration(milliseconds: 20)
        let (addresses, continuation) = AsyncStream<SocketAddress?>.makeStream()
        let input = SyslogInput(
            config: config, context: harness.context, tls: try LogPipeline.serverTLS(server, input: "in")
        ) { continuation.yield($0) }
        let task = Task { try await input.run() }
        var iterator = addresses.makeAsyncIterator()
        let port = (await iterator.next() ?? nil)?.port ?? 0

        func connection(presenting certificate: TestCertificate?) throws -> StreamConnection {
            var tls = TLSConfig()
            tls.ca = served.certificate.certificatePEM
            if let certificate {
                tls.cert = certificate.certificatePEM
                tls.key = Secret(certificate.keyPEM)
            }
            return StreamConnection(
                address: "localhost:\(port)", tls: try NIOSSLContext(configuration: try ConfiguredHTTPClient.tlsConfiguration(tls)),
                timeout: .seconds(30))
        }
        let message = "<14>1 - host app - - - signed and sealed"
        let trusted = try connection(presenting: clientCertificate)
        _ = try await trusted.exchange(Array("\(message.utf8.count) \(message)".utf8))
        let arrived = await eventually(timeout: .seconds(300)) { harness.texts == ["signed and sealed"] }
        #expect(arrived)
        await trusted.close()
        // Without a client certificate the handshake fails; nothing more is buffered.
        let stranger = try connection(presenting: nil)
        let unsigned = "<14>1 - host app - - - unsigned"
        _ = try? await stranger.exchange(Array("\(unsigned.utf8.count) \(unsigned)".utf8))
        await stranger.close()
        try await Task.sleep(for: .milliseconds(200))
        #expect(harness.texts == ["signed and sealed"])
        task.cancel()
        _ = await task.result
    }

    @Test func badServingMaterialStopsTheStartNamingTheInput() throws {
        let server = ServerTLSConfig(certFile: "/nonexistent/tls.crt", keyFile: "/nonexistent/tls.key")
        #expect {
            try LogPipeline.serverTLS(server, input: "edge")
        } throws: { "\($0)".contains("input edge") && "\($0)".contains("/nonexistent/tls.crt") }
    }
}
