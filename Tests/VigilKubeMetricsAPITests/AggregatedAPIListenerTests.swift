import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import SwiftASN1
import Testing
import VigilTestSupport
import X509
@testable import VigilKubeMetricsAPI

/// The listener over real TLS: a front-proxy client certificate signed by the requestheader CA
/// makes X-Remote-User count; no certificate, a certificate with a name not allowed, or no user
/// header is a 401 Status; a certificate from another CA fails the handshake.
@Suite struct AggregatedAPIListenerTests {
    struct Issued {
        let certificate: Certificate
        let key: P256.Signing.PrivateKey
        var chainPEM: [UInt8] { Array(try! certificate.serializeAsPEM().pemString.utf8) }
        var keyPEM: [UInt8] { Array(key.pemRepresentation.utf8) }
    }

    static func authority(_ name: String) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: Date() - 3600, notValidAfter: Date() + 3600, issuer: subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: .init(key))
        return Issued(certificate: certificate, key: key)
    }

    static func client(_ commonName: String, signedBy ca: Issued) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: Date() - 3600, notValidAfter: Date() + 3600, issuer: ca.certificate.subject,
            subject: try DistinguishedName { CommonName(commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
            },
            issuerPrivateKey: .init(ca.key))
        return Issued(certificate: certificate, key: key)
    }

    /// Runs a listener trusting `ca` for front-proxy certificates named `allowed`, serving a
    /// test group, for the duration of `body`.
    static func withListener(ca: Issued, allowed: [String], _ body: (Int) async throws -> Void) async throws {
        let (chain, key) = try ServingCertificate.generate(hosts: ["localhost", "127.0.0.1"])
        let group = AggregatedAPIGroup(name: "custom.metrics.k8s.io", versions: ["v1beta2", "v1beta1"]) { path, query in
            (200, Array((#"{"path":"# + "\"" + path + "\",\"query\":\"" + query.map { $0.0 + "=" + $0.1 }.joined(separator: "&") + "\"}").utf8))
        }
        let server = AggregatedAPIServer(
            groups: [group], authenticator: FrontProxyAuthenticator(allowedNames: allowed, usernameHeaders: ["X-Remote-User"], groupHeaders: ["X-Remote-Group"]))
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "aggregated-api-test")
        logger.logLevel = .critical
        let listener = try AggregatedAPIListener(
            host: "127.0.0.1", port: 0, chain: chain, key: key, clientCA: ca.chainPEM, server: server, logger: logger
        ) { port in continuation.yield(port) }
        let task = Task { try await listener.run() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        do {
            try await body(port)
        } catch {
            task.cancel()
            throw error
        }
        task.cancel()
        _ = await task.result
    }

    static func get(port: Int, path: String, certificate: Issued?, user: String?) async throws -> (Int, String) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        if let certificate {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate.chainPEM).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: certificate.keyPEM, format: .pem))
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)\(path)")
            if let user {
                request.headers.add(name: "X-Remote-User", value: user)
                request.headers.add(name: "X-Remote-Group", value: "system:masters")
            }
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            try await client.shutdown()
            return (Int(response.status.code), String(buffer: body))
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test func aVerifiedFrontProxyReachesTheGroups() async throws {
        let ca = try Self.authority("front-proxy-ca")
        let proxy = try Self.client("front-proxy-client", signedBy: ca)
        try await Self.withListener(ca: ca, allowed: ["front-proxy-client"]) { port in
            let (status, body) = try await Self.get(port: port, path: "/apis", certificate: proxy, user: "admin")
            #expect(status == 200)
            #expect(body.contains(#""name":"custom.metrics.k8s.io","versions":[{"groupVersion":"custom.metrics.k8s.io/v1beta2""#))
            let (groupStatus, groupBody) = try await Self.get(
                port: port, path: "/apis/custom.metrics.k8s.io/v1beta2/namespaces/x/pods/%2A/m?labelSelector=app%3Dweb", certificate: proxy,
                user: "admin")
            #expect(groupStatus == 200)
            #expect(groupBody == #"{"path":"/apis/custom.metrics.k8s.io/v1beta2/namespaces/x/pods/*/m","query":"labelSelector=app=web"}"#)
            let (missing, missingBody) = try await Self.get(port: port, path: "/apis/other.k8s.io/v1", certificate: proxy, user: "admin")
            #expect(missing == 404)
            #expect(missingBody.contains(#""reason":"NotFound""#))
        }
    }

    @Test func everythingElseIsUnauthorized() async throws {
        let ca = try Self.authority("front-proxy-ca")
        let proxy = try Self.client("front-proxy-client", signedBy: ca)
        let stranger = try Self.client("someone-else", signedBy: ca)
        try await Self.withListener(ca: ca, allowed: ["front-proxy-client"]) { port in
            let unauthorized = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#
            let noCertificate = try await Self.get(port: port, path: "/apis", certificate: nil, user: "admin")
            #expect(noCertificate.0 == 401 && noCertificate.1 == unauthorized)
            let wrongName = try await Self.get(port: port, path: "/apis", certificate: stranger, user: "admin")
            #expect(wrongName.0 == 401 && wrongName.1 == unauthorized)
            let noUser = try await Self.get(port: port, path: "/apis", certificate: proxy, user: nil)
            #expect(noUser.0 == 401)
            let health = try await Self.get(port: port, path: "/healthz", certificate: nil, user: nil)
            #expect(health.0 == 200 && health.1 == "ok")
        }
    }

    @Test func aCertificateFromAnotherAuthorityFailsTheHandshake() async throws {
        let ca = try Self.authority("front-proxy-ca")
        let forged = try Self.client("front-proxy-client", signedBy: try Self.authority("front-proxy-ca"))
        try await Self.withListener(ca: ca, allowed: []) { port in
            await #expect(throws: (any Error).self) {
                _ = try await Self.get(port: port, path: "/apis", certificate: forged, user: "admin")
            }
        }
    }

    @Test func theSelfSignedCertificateIsKeptAndReused() throws {
        let directory = try TemporaryDirectory()
        let first = try ServingCertificate.load(certFile: nil, keyFile: nil, directory: directory.path, hosts: ["localhost"])
        let second = try ServingCertificate.load(certFile: nil, keyFile: nil, directory: directory.path, hosts: ["localhost"])
        #expect(first.chain == second.chain && first.key == second.key)
        #expect(FileManager.default.fileExists(atPath: directory.path + "/apiserver.key"))
        #expect(throws: ServingCertificate.LoadError.self) {
            _ = try ServingCertificate.load(certFile: directory.path + "/none.crt", keyFile: directory.path + "/none.key", directory: directory.path, hosts: [])
        }
    }
}
