/// The service discovery sections Vigil supports, inline in a scrape or Alertmanager config.
public struct ServiceDiscoveryConfigs: Sendable, Hashable, Decodable {
    /// Fixed target groups (`static_configs`).
    public var staticConfigs: [StaticConfig]
    /// Target groups read from JSON/YAML files (`file_sd_configs`).
    public var fileSDConfigs: [FileSDConfig]
    /// Targets from DNS records (`dns_sd_configs`).
    public var dnsSDConfigs: [DNSSDConfig]
    /// Target groups fetched over HTTP (`http_sd_configs`).
    public var httpSDConfigs: [HTTPSDConfig]
    /// Targets from the Kubernetes API (`kubernetes_sd_configs`).
    public var kubernetesSDConfigs: [KubernetesSDConfig]

    /// No discovery at all.
    public init(
        staticConfigs: [StaticConfig] = [], fileSDConfigs: [FileSDConfig] = [], dnsSDConfigs: [DNSSDConfig] = [],
        httpSDConfigs: [HTTPSDConfig] = [], kubernetesSDConfigs: [KubernetesSDConfig] = []
    ) {
        self.staticConfigs = staticConfigs
        self.fileSDConfigs = fileSDConfigs
        self.dnsSDConfigs = dnsSDConfigs
        self.httpSDConfigs = httpSDConfigs
        self.kubernetesSDConfigs = kubernetesSDConfigs
    }

    enum CodingKeys: String, CodingKey {
        case staticConfigs = "static_configs"
        case fileSDConfigs = "file_sd_configs"
        case dnsSDConfigs = "dns_sd_configs"
        case httpSDConfigs = "http_sd_configs"
        case kubernetesSDConfigs = "kubernetes_sd_configs"
    }

    /// Decodes the inline `*_sd_configs` lists of the enclosing section.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        staticConfigs = try container.list(.staticConfigs)
        fileSDConfigs = try container.list(.fileSDConfigs)
        dnsSDConfigs = try container.list(.dnsSDConfigs)
        httpSDConfigs = try container.list(.httpSDConfigs)
        kubernetesSDConfigs = try container.list(.kubernetesSDConfigs)
    }

    /// Whether no discovery mechanism is configured.
    public var isEmpty: Bool {
        staticConfigs.isEmpty && fileSDConfigs.isEmpty && dnsSDConfigs.isEmpty && httpSDConfigs.isEmpty
            && kubernetesSDConfigs.isEmpty
    }

    /// Prometheus rejects URLs as static targets unless relabeling could fix them up.
    func checkStaticTargets() throws(ConfigValidationError) {
        for (group, config) in staticConfigs.enumerated() {
            for (index, target) in config.targets.enumerated() where target.contains("/") {
                throw ConfigValidationError(
                    "\"\(target)\" is not a valid hostname",
                    fieldPath: ["static_configs", .index(group), "targets", .index(index)])
            }
        }
    }

    mutating func resolvePaths(in directory: String) {
        for index in fileSDConfigs.indices {
            fileSDConfigs[index].files = fileSDConfigs[index].files.map { joinDirectory(directory, $0) }
        }
        for index in httpSDConfigs.indices {
            httpSDConfigs[index].httpClient.resolvePaths(in: directory)
        }
        for index in kubernetesSDConfigs.indices {
            kubernetesSDConfigs[index].resolvePaths(in: directory)
        }
    }
}

/// A fixed group of targets with common labels (`static_configs` entry).
public struct StaticConfig: Sendable, Hashable, Decodable {
    /// `host:port` addresses.
    public var targets: [String]
    /// Labels added to every target of the group.
    public var labels: [String: String]

    /// Creates a target group.
    public init(targets: [String], labels: [String: String] = [:]) {
        self.targets = targets
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case targets, labels
    }

    /// Decodes and checks the label names.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        targets = try container.list(.targets)
        labels = try container.map(.labels)
        try LabelName.validate(labels, field: "labels")
    }
}

/// File-based discovery (`file_sd_configs` entry).
public struct FileSDConfig: Sendable, Hashable, Decodable {
    /// Files (the last path component may hold a `*`) ending in .json, .yml or .yaml; resolved
    /// against the config file's directory.
    public var files: [String]
    /// How often to re-read the files besides watching them (default 5m).
    public var refreshInterval: PromDuration

    enum CodingKeys: String, CodingKey {
        case files
        case refreshInterval = "refresh_interval"
    }

    /// Decodes and checks the file patterns as Prometheus does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        files = try container.list(.files)
        refreshInterval = try container.value(.refreshInterval, default: .minutes(5))
        if files.isEmpty {
            throw ConfigValidationError("file service discovery config must contain at least one path name", field: "files")
        }
        for (index, name) in files.enumerated() where !Self.isValidPattern(name) {
            throw ConfigValidationError(
                "path name \"\(name)\" is not valid for file discovery", field: "files", .index(index))
        }
    }

    /// Prometheus's rule: `^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$`.
    static func isValidPattern(_ name: String) -> Bool {
        let extensions = [".json", ".yml", ".yaml", ".JSON", ".YML", ".YAML"]
        guard let ext = extensions.first(where: { name.hasSuffix($0) }) else { return false }
        let stem = name.dropLast(ext.count)
        guard let star = stem.firstIndex(of: "*") else { return true }
        return !stem[star...].dropFirst().contains(where: { $0 == "*" || $0 == "/" })
    }
}

/// The DNS record type a DNS discovery queries.
public enum DNSRecordType: String, Sendable, Hashable, Decodable {
    /// Service records, which carry the port.
    case srv = "SRV"
    /// IPv4 addresses.
    case a = "A"
    /// IPv6 addresses.
    case aaaa = "AAAA"
    /// Mail exchangers.
    case mx = "MX"
    /// Name servers.
    case ns = "NS"

    /// Decodes a record type, ignoring case like Prometheus.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let type = DNSRecordType(rawValue: text.uppercased()) else {
            throw ConfigValidationError("invalid DNS-SD records type \(text)")
        }
        self = type
    }
}

/// DNS-based discovery (`dns_sd_configs` entry).
public struct DNSSDConfig: Sendable, Hashable, Decodable {
    /// Names to query.
    public var names: [String]
    /// Record type (default SRV).
    public var type: DNSRecordType
    /// Port for A, AAAA, MX and NS records (SRV records carry their own).
    public var port: Int
    /// How often to query again (default 30s).
    public var refreshInterval: PromDuration

    enum CodingKeys: String, CodingKey {
        case names, type, port
        case refreshInterval = "refresh_interval"
    }

    /// Decodes and checks that names are given and that non-SRV queries have a port.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        names = try container.list(.names)
        type = try container.value(.type, default: .srv)
        port = try container.value(.port, default: 0)
        refreshInterval = try container.value(.refreshInterval, default: .seconds(30))
        if names.isEmpty {
            throw ConfigValidationError("DNS-SD config must contain at least one SRV record name", field: "names")
        }
        if type != .srv && port == 0 {
            throw ConfigValidationError("a port is required in DNS-SD configs for all record types except SRV", field: "port")
        }
        if !(0...65535).contains(port) {
            throw ConfigValidationError("port \(port) is out of range", field: "port")
        }
    }
}

/// HTTP-based discovery (`http_sd_configs` entry).
public struct HTTPSDConfig: Sendable, Hashable, Decodable {
    /// The endpoint returning target groups as JSON; http or https.
    public var url: ConfigURL
    /// How often to fetch (default 60s).
    public var refreshInterval: PromDuration
    /// How to talk to the endpoint.
    public var httpClient: HTTPClientConfig

    enum CodingKeys: String, CodingKey {
        case url
        case refreshInterval = "refresh_interval"
    }

    /// Decodes and checks the URL is http(s) with a host.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let url = try container.optional(.url, as: ConfigURL.self)
        refreshInterval = try container.value(.refreshInterval, default: .seconds(60))
        httpClient = try HTTPClientConfig(from: decoder)
        guard let url else { throw ConfigValidationError("URL is missing", field: "url") }
        guard url.scheme == "http" || url.scheme == "https" else {
            throw ConfigValidationError("URL scheme must be 'http' or 'https'", field: "url")
        }
        self.url = url
    }
}
