public import AsyncHTTPClient
public import VigilConfig
import Foundation
import NIOCore
public import NIOHTTP1
import NIOHTTPCompression
import Synchronization
public import NIOSSL

/// An HTTP client built from a Prometheus `http_client_config` block: TLS, proxy, redirects and
/// compression at construction; authentication and extra headers per request.
///
/// Credentials read from files (`password_file`, `credentials_file`, `bearer_token_file`, header
/// `files`) are read again for every request, so a rotated token takes effect without a reload,
/// as in Prometheus. Secrets are never logged; errors name the file, not its content.
/// Call ``shutdown()`` once no request is in flight.
public final class ConfiguredHTTPClient: Sendable {
    /// The underlying client; use it with ``requestHeaders()``.
    public let client: HTTPClient
    /// The configuration this client was built from.
    public let config: HTTPClientConfig
    /// Which proxy, if any, each request URL goes through (`proxy_url`, `no_proxy`,
    /// `proxy_from_environment`).
    public let proxySelector: ProxySelector
    /// The proxy ``client`` was built with.
    let clientProxy: ProxySelector.Proxy?
    /// The AsyncHTTPClient configuration without its proxy, for ``client(through:)``.
    let baseConfiguration: HTTPClient.Configuration
    /// Clients for proxies other than ``clientProxy`` (or none), made on first use.
    let otherClients = Mutex<[ProxySelector.Proxy?: HTTPClient]>([:])

    /// Builds the client; throws ``HTTPClientSetupError`` when a TLS file cannot be loaded.
    public init(config: HTTPClientConfig, decompress: Bool = true) throws(HTTPClientSetupError) {
        self.config = config
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = try Self.tlsConfiguration(config.tlsConfig)
        configuration.redirectConfiguration = config.followRedirects ? .follow(max: 10, allowCycles: false) : .disallow
        // Body size limits are enforced by the caller on the decompressed bytes it collects.
        configuration.decompression = decompress ? .enabled(limit: .none) : .disabled
        configuration.httpVersion = config.enableHTTP2 ? .automatic : .http1Only
        // A refused connection fails the request at once, as in Go, instead of being retried
        // until the deadline (the scrape interval is the retry).
        configuration.connectionPool.retryConnectionEstablishment = false
        proxySelector = ProxySelector(config: config.proxy)
        if let proxyURL = config.proxy.proxyURL {
            guard let proxy = ProxySelector.Proxy(url: proxyURL.string) else {
                throw HTTPClientSetupError("proxy_url \(proxyURL) has no host")
            }
            clientProxy = proxy
        } else {
            clientProxy = nil
        }
        baseConfiguration = configuration
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: Self.configuration(configuration, through: clientProxy))
    }

    /// The client whose requests go through `proxy` (nil: straight to the target), as
    /// ``proxySelector`` picks it per URL: ``client`` when that is its proxy, else one made on
    /// first use and kept.
    public func client(through proxy: ProxySelector.Proxy?) -> HTTPClient {
        if proxy == clientProxy { return client }
        return otherClients.withLock { clients in
            if let existing = clients[proxy] { return existing }
            let made = HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: Self.configuration(baseConfiguration, through: proxy))
            clients[proxy] = made
            return made
        }
    }

    /// The client for a request to `url`: through the proxy ``proxySelector`` picks for it, or
    /// straight to it.
    public func client(for url: String) -> HTTPClient {
        client(through: proxySelector.proxy(for: url))
    }

    static func configuration(_ base: HTTPClient.Configuration, through proxy: ProxySelector.Proxy?) -> HTTPClient.Configuration {
        var configuration = base
        guard let proxy else {
            configuration.proxy = nil
            return configuration
        }
        if proxy.scheme == "socks5" {
            configuration.proxy = .socksServer(host: proxy.host, port: proxy.port)
        } else {
            let authorization = proxy.username.map { HTTPClient.Authorization.basic(username: $0, password: proxy.password ?? "") }
            configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
        }
        return configuration
    }

    /// The headers every request carries: `http_headers`, then `Authorization` from basic_auth or
    /// authorization (files read now).
    public func requestHeaders() throws(HTTPClientSetupError) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, header) in config.httpHeaders.sorted(by: { $0.key < $1.key }) {
            for value in header.values { headers.add(name: name, value: value) }
            for secret in header.secrets { headers.add(name: name, value: secret.value) }
            for file in header.files { headers.add(name: name, value: try Self.readSecretFile(file)) }
        }
        if let basic = config.basicAuth {
            let username = basic.usernameFile.isEmpty ? basic.username : try Self.readSecretFile(basic.usernameFile)
            let password = basic.passwordFile.isEmpty ? (basic.password?.value ?? "") : try Self.readSecretFile(basic.passwordFile)
            let token = Data("\(username):\(password)".utf8).base64EncodedString()
            headers.replaceOrAdd(name: "Authorization", value: "Basic \(token)")
        } else if let authorization = config.authorization {
            let credentials =
                authorization.credentialsFile.isEmpty
                ? (authorization.credentials?.value ?? "") : try Self.readSecretFile(authorization.credentialsFile)
            headers.replaceOrAdd(name: "Authorization", value: "\(authorization.type) \(credentials)")
        }
        return headers
    }

    /// Stops the clients' connection pools.
    public func shutdown() async {
        try? await client.shutdown()
        for other in otherClients.withLock({ Array($0.values) }) { try? await other.shutdown() }
    }

    static func readSecretFile(_ path: String) throws(HTTPClientSetupError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HTTPClientSetupError("unable to read file \(path)")
        }
        // Prometheus trims surrounding whitespace from secret files.
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The NIOSSL client configuration for a `tls_config` block (CA, client certificate, versions, verification).
    public static func tlsConfiguration(_ tls: TLSConfig) throws(HTTPClientSetupError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        do {
            if !tls.caFile.isEmpty {
                configuration.trustRoots = .file(tls.caFile)
            } else if !tls.ca.isEmpty {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(tls.ca.utf8)))
            }
            if !tls.certFile.isEmpty {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(tls.certFile).map { .certificate($0) }
            } else if !tls.cert.isEmpty {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(tls.cert.utf8)).map { .certificate($0) }
            }
            if !tls.keyFile.isEmpty {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: tls.keyFile, format: .pem))
            } else if let key = tls.key, !key.value.isEmpty {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key.value.utf8), format: .pem))
            }
        } catch {
            throw HTTPClientSetupError("loading TLS material: \(error)")
        }
        if tls.insecureSkipVerify { configuration.certificateVerification = .none }
        if let minimum = tls.minVersion { configuration.minimumTLSVersion = Self.version(minimum) }
        if let maximum = tls.maxVersion { configuration.maximumTLSVersion = Self.version(maximum) }
        return configuration
    }

    static func version(_ version: VigilConfig.TLSVersion) -> NIOSSL.TLSVersion {
        switch version {
        case .tls10: .tlsv1
        case .tls11: .tlsv11
        case .tls12: .tlsv12
        case .tls13: .tlsv13
        }
    }
}

/// Why a configured HTTP client could not be built or could not prepare a request.
public struct HTTPClientSetupError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the file or field (never a secret's value).
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
