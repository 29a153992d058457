internal import Yams

extension PrometheusConfig {
    /// ``source`` with every credential replaced by `<secret>` and URL passwords by `xxxxx`,
    /// as Prometheus shows its configuration on `/api/v1/status/config`.
    ///
    /// The text is re-emitted from the parsed document, so comments and layout are not kept;
    /// anchors and merge keys are kept as written. Serve this, never ``source``.
    public func redactedSource() -> String {
        guard let root = try? Yams.compose(yaml: source, .default, .default, .utf8) else { return "" }
        let redacted = Self.redact(root, parentKey: nil)
        return (try? Yams.serialize(node: redacted, allowUnicode: true)) ?? ""
    }

    /// Keys whose scalar values are credentials wherever they appear.
    private static let secretKeys: Set<String> = [
        "password", "credentials", "bearer_token", "client_secret", "secret_key", "secrets",
    ]
    /// Keys holding URLs whose user-info may carry a password.
    private static let urlKeys: Set<String> = ["url", "proxy_url", "api_server", "token_url"]

    private static func redact(_ node: Node, parentKey: String?) -> Node {
        switch node {
        case .mapping(var mapping):
            for index in mapping.indices {
                let (key, value) = mapping[index]
                let name = key.string ?? ""
                let hidesValues = secretKeys.contains(name) || (name == "key" && parentKey == "tls_config")
                    || parentKey == "proxy_connect_header"
                if hidesValues {
                    mapping[index] = (key, hideScalars(value))
                } else if urlKeys.contains(name), let text = value.string, let url = try? ConfigURL(text) {
                    mapping[index] = (key, Node(url.description))
                } else {
                    mapping[index] = (key, redact(value, parentKey: name))
                }
            }
            return .mapping(mapping)
        case .sequence(var sequence):
            for index in sequence.indices {
                sequence[index] = redact(sequence[index], parentKey: parentKey)
            }
            return .sequence(sequence)
        case .scalar, .alias:
            return node
        }
    }

    private static func hideScalars(_ node: Node) -> Node {
        switch node {
        case .scalar:
            return node.isNull ? node : Node("<secret>")
        case .sequence(var sequence):
            for index in sequence.indices {
                sequence[index] = hideScalars(sequence[index])
            }
            return .sequence(sequence)
        case .mapping(var mapping):
            for index in mapping.indices {
                mapping[index] = (mapping[index].key, hideScalars(mapping[index].value))
            }
            return .mapping(mapping)
        case .alias:
            return node
        }
    }
}
