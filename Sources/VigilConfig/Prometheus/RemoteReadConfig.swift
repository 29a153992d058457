/// Reading series from a remote store (`remote_read` entry).
public struct RemoteReadConfig: Sendable, Hashable, Decodable {
    /// The endpoint. Required.
    public var url: ConfigURL
    /// How long one request may take (default 1m).
    public var remoteTimeout: PromDuration
    /// Extra headers; reserved ones are rejected.
    public var headers: [String: String]
    /// Also read for time ranges local storage covers (default false).
    public var readRecent: Bool
    /// A name for metrics and logs; unique among remote reads when set.
    public var name: String
    /// How to talk to the endpoint.
    public var httpClient: HTTPClientConfig
    /// Equality matchers a query must contain for this endpoint to be asked.
    public var requiredMatchers: [String: String]
    /// Add the external labels as matchers (default true).
    public var filterExternalLabels: Bool

    enum CodingKeys: String, CodingKey {
        case url, headers, name
        case remoteTimeout = "remote_timeout"
        case readRecent = "read_recent"
        case requiredMatchers = "required_matchers"
        case filterExternalLabels = "filter_external_labels"
    }

    /// Decodes with Prometheus's defaults and validates.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let url = try container.optional(.url, as: ConfigURL.self)
        remoteTimeout = try container.value(.remoteTimeout, default: .minutes(1))
        headers = try container.map(.headers)
        readRecent = try container.value(.readRecent, default: false)
        name = try container.value(.name, default: "")
        requiredMatchers = try container.map(.requiredMatchers)
        filterExternalLabels = try container.value(.filterExternalLabels, default: true)
        httpClient = try HTTPClientConfig(from: decoder)
        guard let url else { throw ConfigValidationError("url for remote_read is empty", field: "url") }
        self.url = url
        try LabelName.validate(requiredMatchers, field: "required_matchers")
        try validateRemoteHeaders(headers)
    }
}
