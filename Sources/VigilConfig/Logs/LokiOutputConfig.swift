/// The fields of a `type: loki` output: Loki's push API.
public struct LokiOutputConfig: Sendable, Hashable, Decodable {
    /// The push endpoint, such as `http://loki:3100/loki/api/v1/push`. Required.
    public var url: ConfigURL
    /// Sent as `X-Scope-OrgID` when set.
    public var tenantID: String
    /// The request body: `json` (default) or `protobuf` (snappy-compressed `logproto.PushRequest`,
    /// what Promtail sends).
    public var encoding: Encoding
    /// `gzip` compresses a JSON body (`Content-Encoding: gzip`); protobuf bodies are always snappy.
    public var compression: HTTPCompression
    /// TLS, authentication, proxy and headers (`http_config`, Prometheus's `http_client_config`).
    public var httpConfig: HTTPClientConfig

    /// How a push request's body is encoded.
    public enum Encoding: String, Sendable, Hashable, Decodable {
        /// `application/json`.
        case json
        /// `application/x-protobuf`, snappy-compressed.
        case protobuf
    }

    enum CodingKeys: String, CodingKey {
        case url, encoding, compression
        case tenantID = "tenant_id"
        case httpConfig = "http_config"
    }

    /// Pushing to `url` in JSON, uncompressed.
    public init(url: ConfigURL) {
        self.url = url
        tenantID = ""
        encoding = .json
        compression = .none
        httpConfig = HTTPClientConfig()
    }

    /// Decodes the Loki fields of an output entry.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try requiredHTTPURL(container, .url, type: "loki")
        tenantID = try container.value(.tenantID, default: "")
        encoding = try container.value(.encoding, default: .json)
        compression = try container.value(.compression, default: .none)
        httpConfig = try container.value(.httpConfig, default: HTTPClientConfig())
        if encoding == .protobuf && compression == .gzip {
            throw ConfigValidationError("compression: gzip applies to encoding: json (protobuf is snappy-compressed)", field: "compression")
        }
    }
}
