/// The fields of a `type: elasticsearch` (or `opensearch`) output: the `_bulk` API.
public struct ElasticsearchOutputConfig: Sendable, Hashable, Decodable {
    /// The cluster's base URL, such as `http://elasticsearch:9200`; `_bulk` is appended. Required.
    public var url: ConfigURL
    /// The index each line goes to; `%Y`, `%m`, `%d`, `%H` are replaced by the line's UTC date
    /// (default `vigil-%Y.%m.%d`, Logstash's daily indices).
    public var index: String
    /// An ingest pipeline to run (`?pipeline=`), if set.
    public var pipeline: String
    /// Request body compression (`none`, default, or `gzip`).
    public var compression: HTTPCompression
    /// TLS, authentication (basic_auth, API keys via `authorization`), proxy and headers.
    public var httpConfig: HTTPClientConfig

    enum CodingKeys: String, CodingKey {
        case url, index, pipeline, compression
        case httpConfig = "http_config"
    }

    /// Indexing into `vigil-%Y.%m.%d` at `url`.
    public init(url: ConfigURL) {
        self.url = url
        index = "vigil-%Y.%m.%d"
        pipeline = ""
        compression = .none
        httpConfig = HTTPClientConfig()
    }

    /// Decodes the Elasticsearch fields of an output entry.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(url: try requiredHTTPURL(container, .url, type: "elasticsearch"))
        index = try container.value(.index, default: index)
        pipeline = try container.value(.pipeline, default: "")
        compression = try container.value(.compression, default: .none)
        httpConfig = try container.value(.httpConfig, default: HTTPClientConfig())
        // Elasticsearch's own index name rules, checked on the pattern (the date parts are digits and dots).
        let forbidden = Set("\\/*?\"<>| ,#:")
        // %Y and friends are date placeholders, not part of the name's case.
        var name = ""
        var afterPercent = false
        for character in index {
            if afterPercent, character == "Y" || character == "H" { name.removeLast() } else { name.append(character) }
            afterPercent = character == "%"
        }
        guard !index.isEmpty, name == name.lowercased(), !index.contains(where: { forbidden.contains($0) }),
              !index.hasPrefix("-"), !index.hasPrefix("_"), !index.hasPrefix("+")
        else {
            throw ConfigValidationError(
                "index must be a lowercase Elasticsearch index name (no \\ / * ? \" < > | , # : or spaces, not starting with - _ +)",
                field: "index")
        }
        var rest = Substring(index)
        while let percent = rest.firstIndex(of: "%") {
            let next = rest.index(after: percent)
            guard next < rest.endIndex, "Ymd".contains(rest[next]) || rest[next] == "H" else {
                throw ConfigValidationError("index may use only %Y, %m, %d and %H", field: "index")
            }
            rest = rest[rest.index(after: next)...]
        }
    }
}
