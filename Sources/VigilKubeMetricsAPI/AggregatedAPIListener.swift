public import Logging
public import ServiceLifecycle
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// The HTTPS listener the API server's aggregation layer sends metrics.k8s.io (and the other
/// groups given) to: TLS with the serving certificate, client certificates verified against the
/// front-proxy CA when one is given, and every request answered by an ``AggregatedAPIServer``.
public struct AggregatedAPIListener: Service {
    /// Why the listener could not be set up.
    public struct SetupError: Error, CustomStringConvertible {
        /// What went wrong, naming the file.
        public let description: String
    }

    private let run: @Sendable () async throws -> Void

    /// A listener on `host:port` serving `server` with the PEM `chain` and `key`; with
    /// `clientCA` (PEM), client certificates are verified against it and a verified one's common
    /// name reaches the server, which trusts the front-proxy headers only then. `onReady` gets
    /// the bound port.
    public init(
        host: String, port: Int, chain: [UInt8], key: [UInt8], clientCA: [UInt8]?, server: AggregatedAPIServer, logger: Logger,
        onReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws(SetupError) {
        var tls: TLSConfiguration
        do {
            tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(chain).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem)))
            if let clientCA {
                // Verify a certificate when one is offered; a request without one may still reach
                // the health paths, and is refused everywhere else.
                tls.certificateVerification = .optionalVerification
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(clientCA))
            }
        } catch {
            throw SetupError(description: "kubernetes_metrics_api TLS material: \(error)")
        }
        let responder = Responder(server: server, verifiesClients: clientCA != nil)
        let application: Application<Responder>
        do {
            application = Application(
                responder: responder, server: try .tls(.http1(configuration: .init(idleTimeout: .seconds(300))), tlsConfiguration: tls),
                configuration: .init(address: .hostname(host, port: port), serverName: nil),
                onServerRunning: { channel in
                    let bound = channel.localAddress?.port ?? port
                    logger.info("Kubernetes metrics API listening", metadata: ["address": "\(host):\(bound)"])
                    await onReady(bound)
                },
                logger: logger)
        } catch {
            throw SetupError(description: "kubernetes_metrics_api TLS: \(error)")
        }
        run = { try await application.runService() }
    }

    /// Serves until graceful shutdown.
    public func run() async throws {
        try await run()
    }

    /// Requests with the channel they arrived on, so the responder can read the peer certificate.
    struct Context: RequestContext {
        var coreContext: CoreRequestContextStorage
        let channel: any Channel

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            channel = source.channel
        }
    }

    struct Responder: HTTPResponder {
        let server: AggregatedAPIServer
        let verifiesClients: Bool

        func respond(to request: Request, context: Context) async throws -> Response {
            let commonName = verifiesClients ? await Self.peerCommonName(context.channel) : nil
            let rawPath = request.uri.path
            let path = rawPath.removingPercentEncoding ?? rawPath
            let query = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
            let headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
            let answer = await server.respond(
                method: request.method.rawValue, path: path, query: query, verifiedCommonName: commonName, headers: headers)
            var fields = HTTPFields()
            fields[.contentType] = answer.contentType
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: fields,
                body: request.method == .head ? .init() : .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }

        /// The common name of the certificate the client presented; TLS verified it against the
        /// front-proxy CA during the handshake, or the handshake failed.
        static func peerCommonName(_ channel: any Channel) async -> String? {
            let der: [UInt8]?? = try? await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.handler(type: NIOSSLHandler.self).peerCertificate?.toDERBytes()
            }.get()
            guard let der = der ?? nil, let certificate = try? Certificate(derEncoded: der) else { return nil }
            for name in certificate.subject {
                for attribute in name where attribute.type == .RDNAttributeType.commonName {
                    return attribute.value.description
                }
            }
            return nil
        }
    }
}
