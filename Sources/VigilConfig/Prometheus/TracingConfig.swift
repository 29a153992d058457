/// OpenTelemetry trace export (`tracing`); accepted and validated, exported by a later Vigil.
public struct TracingConfig: Sendable, Hashable, Decodable {
    /// The OTLP transport.
    public enum ClientType: String, Sendable, Hashable, Decodable {
        /// OTLP over gRPC (the default).
        case grpc
        /// OTLP over HTTP.
        case http

        /// Decodes `grpc` or `http`.
        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let value = ClientType(rawValue: text) else {
                throw ConfigValidationError("expected tracing client type to be to be http or grpc, but got \(text)")
            }
            self = value
        }
    }

    /// The transport (default grpc).
    public var clientType: ClientType
    /// The collector endpoint. Required.
    public var endpoint: String
    /// Fraction of traces sampled, 0…1.
    public var samplingFraction: Double
    /// Use plain text instead of TLS.
    public var insecure: Bool
    /// TLS settings.
    public var tlsConfig: TLSConfig
    /// Extra headers.
    public var headers: [String: String]
    /// `gzip` or empty.
    public var compression: String
    /// Export timeout; 0 means the exporter's default.
    public var timeout: PromDuration

    enum CodingKeys: String, CodingKey {
        case endpoint, insecure, headers, compression, timeout
        case clientType = "client_type"
        case samplingFraction = "sampling_fraction"
        case tlsConfig = "tls_config"
    }

    /// Decodes and validates as Prometheus does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        clientType = try container.value(.clientType, default: .grpc)
        endpoint = try container.value(.endpoint, default: "")
        samplingFraction = try container.value(.samplingFraction, default: 0)
        insecure = try container.value(.insecure, default: false)
        tlsConfig = try container.value(.tlsConfig, default: TLSConfig())
        headers = try container.map(.headers)
        compression = try container.value(.compression, default: "")
        timeout = try container.value(.timeout, default: .zero)
        for name in headers.keys.sorted() {
            if name.lowercased() == "authorization" {
                throw ConfigValidationError(
                    "custom authorization header configuration is not yet supported", field: "headers", .key(name))
            }
            if HTTPHeader.reserved.contains(name.lowercased()) {
                throw ConfigValidationError("\(name) is a reserved header. It must not be changed", field: "headers", .key(name))
            }
        }
        if endpoint.isEmpty {
            throw ConfigValidationError("tracing endpoint must be set", field: "endpoint")
        }
        if !compression.isEmpty && compression != "gzip" {
            throw ConfigValidationError(
                "invalid compression type \(compression) provided, valid options: gzip", field: "compression")
        }
    }
}
