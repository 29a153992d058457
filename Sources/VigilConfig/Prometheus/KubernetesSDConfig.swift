/// The kind of Kubernetes object a discovery turns into targets.
public enum KubernetesRole: String, Sendable, Hashable, CaseIterable, Decodable {
    /// One target per node, at the kubelet's address.
    case node
    /// One target per pod container port.
    case pod
    /// One target per service port.
    case service
    /// One target per endpoint address and port (Endpoints objects).
    case endpoints
    /// One target per endpoint address and port (EndpointSlice objects).
    case endpointSlice = "endpointslice"
    /// One target per ingress path.
    case ingress

    /// Decodes a role name (case-sensitive, as in Prometheus).
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let role = KubernetesRole(rawValue: text) else {
            throw ConfigValidationError("unknown Kubernetes SD role \"\(text)\"")
        }
        self = role
    }

    /// The selector roles a discovery of this role accepts.
    var allowedSelectorRoles: [KubernetesRole] {
        switch self {
        case .endpoints: [.pod, .service, .endpoints]
        case .endpointSlice: [.pod, .service, .endpointSlice]
        default: [self]
        }
    }
}

/// Kubernetes API discovery (`kubernetes_sd_configs` entry).
///
/// With neither ``apiServer`` nor ``kubeconfigFile``, discovery runs in-cluster with the pod's
/// service account. A custom HTTP client config needs ``apiServer``, as in Prometheus.
public struct KubernetesSDConfig: Sendable, Hashable, Decodable {
    /// The API server; nil means in-cluster or ``kubeconfigFile``.
    public var apiServer: ConfigURL?
    /// What to discover.
    public var role: KubernetesRole
    /// A kubeconfig to read the server and credentials from; resolved against the config's directory.
    public var kubeconfigFile: String
    /// How to talk to ``apiServer``.
    public var httpClient: HTTPClientConfig
    /// Which namespaces to watch.
    public var namespaces: Namespaces
    /// Label and field selectors, by object role.
    public var selectors: [Selector]
    /// Extra metadata to attach to targets.
    public var attachMetadata: AttachMetadata

    /// Which namespaces a Kubernetes discovery watches; empty means all.
    public struct Namespaces: Sendable, Hashable, Decodable {
        /// Include the namespace Vigil runs in.
        public var ownNamespace: Bool
        /// Namespaces by name.
        public var names: [String]

        /// All namespaces.
        public init() {
            ownNamespace = false
            names = []
        }

        enum CodingKeys: String, CodingKey {
            case ownNamespace = "own_namespace"
            case names
        }

        /// Decodes the namespace list.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ownNamespace = try container.value(.ownNamespace, default: false)
            names = try container.list(.names)
        }
    }

    /// A label/field selector applied to watches of one object role.
    public struct Selector: Sendable, Hashable, Decodable {
        /// The object role the selector applies to.
        public var role: KubernetesRole
        /// A label selector (`app=foo,tier!=db`).
        public var label: String
        /// A field selector (`metadata.name=foo`).
        public var field: String

        enum CodingKeys: String, CodingKey {
            case role, label, field
        }

        /// Decodes a selector; `role` is required.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let role = try container.optional(.role, as: KubernetesRole.self)
            label = try container.value(.label, default: "")
            field = try container.value(.field, default: "")
            guard let role else { throw ConfigValidationError("selector role is missing", field: "role") }
            self.role = role
        }
    }

    /// Metadata to attach to discovered targets.
    public struct AttachMetadata: Sendable, Hashable, Decodable {
        /// Attach the node's labels to pod targets.
        public var node: Bool

        /// Nothing attached.
        public init() { node = false }

        enum CodingKeys: String, CodingKey {
            case node
        }

        /// Decodes the flags.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            node = try container.value(.node, default: false)
        }
    }

    enum CodingKeys: String, CodingKey {
        case apiServer = "api_server"
        case role
        case kubeconfigFile = "kubeconfig_file"
        case namespaces, selectors
        case attachMetadata = "attach_metadata"
    }

    /// Decodes and applies Prometheus's consistency checks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiServer = try container.optional(.apiServer)
        let role = try container.optional(.role, as: KubernetesRole.self)
        kubeconfigFile = try container.value(.kubeconfigFile, default: "")
        namespaces = try container.value(.namespaces, default: Namespaces())
        selectors = try container.list(.selectors)
        attachMetadata = try container.value(.attachMetadata, default: AttachMetadata())
        httpClient = try HTTPClientConfig(from: decoder)

        guard let role else {
            throw ConfigValidationError(
                "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)", field: "role")
        }
        self.role = role
        if apiServer != nil && !kubeconfigFile.isEmpty {
            throw ConfigValidationError("cannot use 'kubeconfig_file' and 'api_server' simultaneously", field: "kubeconfig_file")
        }
        if !kubeconfigFile.isEmpty && httpClient != .default {
            throw ConfigValidationError(
                "cannot use a custom HTTP client configuration together with 'kubeconfig_file'", field: "kubeconfig_file")
        }
        if apiServer == nil && httpClient != .default {
            throw ConfigValidationError(
                "to use custom HTTP client configuration please provide the 'api_server' URL explicitly")
        }
        if apiServer != nil && namespaces.ownNamespace {
            throw ConfigValidationError(
                "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously", field: "namespaces", "own_namespace")
        }
        if !kubeconfigFile.isEmpty && namespaces.ownNamespace {
            throw ConfigValidationError(
                "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously",
                field: "namespaces", "own_namespace")
        }
        var seen: Set<KubernetesRole> = []
        for (index, selector) in selectors.enumerated() {
            if !seen.insert(selector.role).inserted {
                throw ConfigValidationError(
                    "duplicated selector role: \(selector.role.rawValue)", field: "selectors", .index(index), "role")
            }
            let allowed = role.allowedSelectorRoles
            if !allowed.contains(selector.role) {
                throw ConfigValidationError(
                    "\(role.rawValue) role supports only \(allowed.map(\.rawValue).joined(separator: ", ")) selectors",
                    field: "selectors", .index(index), "role")
            }
        }
    }

    mutating func resolvePaths(in directory: String) {
        httpClient.resolvePaths(in: directory)
        kubeconfigFile = joinDirectory(directory, kubeconfigFile)
    }
}
