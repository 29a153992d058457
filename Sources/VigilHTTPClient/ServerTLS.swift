public import NIOSSL
public import VigilConfig

/// The NIOSSL server side of a `tls_server_config`: what the log inputs listen with.
public enum ServerTLS {
    /// The serving configuration: certificate chain and key from their files, client
    /// certificates asked for and verified as `client_auth_type` says, `min_version`.
    ///
    /// - Throws: ``HTTPClientSetupError`` naming the file that cannot be loaded.
    public static func configuration(_ config: ServerTLSConfig) throws(HTTPClientSetupError) -> TLSConfiguration {
        var tls: TLSConfiguration
        do {
            tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(config.certFile).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: config.keyFile, format: .pem)))
        } catch {
            throw HTTPClientSetupError("loading the serving certificate \(config.certFile) and key \(config.keyFile): \(error)")
        }
        tls.minimumTLSVersion = ConfiguredHTTPClient.version(config.minVersion)
        switch config.clientAuth {
        case .none: tls.certificateVerification = .none
        case .verifyIfGiven: tls.certificateVerification = .optionalVerification
        case .requireAndVerify: tls.certificateVerification = .noHostnameVerification
        }
        if config.clientAuth != .none {
            tls.trustRoots = .file(config.clientCAFile)
        }
        return tls
    }
}
