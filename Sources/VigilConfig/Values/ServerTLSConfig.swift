/// TLS for a listener (`tls_server_config`), with the keys of Prometheus's web configuration
/// file: the serving certificate and key, and optionally client certificates checked against a CA.
///
/// ```yaml
/// tls_server_config:
///   cert_file: /etc/vigil/tls.crt
///   key_file: /etc/vigil/tls.key
///   client_auth_type: RequireAndVerifyClientCert   # NoClientCert (default) | VerifyClientCertIfGiven
///   client_ca_file: /etc/vigil/clients-ca.crt
///   min_version: TLS12
/// ```
public struct ServerTLSConfig: Sendable, Hashable, Decodable {
    /// Whether and how client certificates are asked for.
    public enum ClientAuth: String, Sendable, Hashable, Decodable {
        /// No client certificate is asked for.
        case none = "NoClientCert"
        /// A client certificate, when sent, must verify against `client_ca_file`.
        case verifyIfGiven = "VerifyClientCertIfGiven"
        /// Every client must send a certificate that verifies against `client_ca_file`.
        case requireAndVerify = "RequireAndVerifyClientCert"
    }

    /// The serving certificate chain, PEM (`cert_file`), resolved against the config's directory.
    public var certFile: String
    /// Its private key, PEM (`key_file`).
    public var keyFile: String
    /// `client_auth_type` (default `NoClientCert`).
    public var clientAuth: ClientAuth
    /// The CA client certificates must chain to (`client_ca_file`).
    public var clientCAFile: String
    /// The oldest TLS version accepted (`min_version`; default TLS12).
    public var minVersion: TLSVersion

    enum CodingKeys: String, CodingKey {
        case certFile = "cert_file"
        case keyFile = "key_file"
        case clientAuth = "client_auth_type"
        case clientCAFile = "client_ca_file"
        case minVersion = "min_version"
    }

    /// Serving `certFile` with `keyFile`, no client certificates.
    public init(certFile: String, keyFile: String) {
        self.certFile = certFile
        self.keyFile = keyFile
        clientAuth = .none
        clientCAFile = ""
        minVersion = .tls12
    }

    /// Decodes and checks that the certificate, key and (for client auth) CA are all named.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(certFile: try container.value(.certFile, default: ""), keyFile: try container.value(.keyFile, default: ""))
        clientAuth = try container.value(.clientAuth, default: .none)
        clientCAFile = try container.value(.clientCAFile, default: "")
        minVersion = try container.value(.minVersion, default: .tls12)
        guard !certFile.isEmpty else { throw ConfigValidationError("tls_server_config needs cert_file", field: "cert_file") }
        guard !keyFile.isEmpty else { throw ConfigValidationError("tls_server_config needs key_file", field: "key_file") }
        if clientAuth != .none && clientCAFile.isEmpty {
            throw ConfigValidationError("client_auth_type \(clientAuth.rawValue) needs client_ca_file", field: "client_ca_file")
        }
    }

    /// Joins the files to `directory`.
    public mutating func resolvePaths(in directory: String) {
        certFile = joinDirectory(directory, certFile)
        keyFile = joinDirectory(directory, keyFile)
        if !clientCAFile.isEmpty { clientCAFile = joinDirectory(directory, clientCAFile) }
    }
}
