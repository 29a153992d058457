internal import Yams

/// A `Decoder` over a composed Yams `Node` that knows where every value came from.
///
/// It differs from a plain YAML decoder in the ways Prometheus's `yaml.UnmarshalStrict` does:
/// a mapping key the decoded type never asked for is an error; every error names the file,
/// line, column and field path; `key:` with no value (null) reads as "absent", so the type's
/// default applies; merge keys (`<<`) are flattened, explicit keys winning over merged ones.
final class NodeDecoder: Decoder {
    let node: Node
    let path: [ConfigPathComponent]
    let fileName: String
    private var requested: Set<String> = []
    private var mapping: FlatMapping?
    private var nested: [NodeDecoder] = []

    init(node: Node, path: [ConfigPathComponent], fileName: String) {
        self.node = node
        self.path = path
        self.fileName = fileName
    }

    var codingPath: [any CodingKey] { path.map(PathCodingKey.init) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    // MARK: Decoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(NodeKeyedContainer<Key>(decoder: self, mapping: try flatMapping()))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        NodeUnkeyedContainer(decoder: self, items: try sequenceItems())
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        NodeSingleValueContainer(decoder: self)
    }

    // MARK: Decoding a value and checking what it left unread

    /// Decodes `T` from this decoder's node, then rejects mapping keys `T` never asked for.
    func decodeSelf<T: Decodable>(_ type: T.Type) throws(ConfigError) -> T {
        do {
            let value = try T(from: self)
            try checkUnknownFields()
            return value
        } catch let error as ConfigError {
            throw error
        } catch let error as ConfigValidationError {
            // A typo'd key usually causes the validation failure: report the typo.
            try checkUnknownFields()
            throw resolve(error)
        } catch let error as DecodingError {
            throw convert(error)
        } catch {
            throw self.error(.invalidValue, at: node, path: path, "\(error)")
        }
    }

    func decodeChild<T: Decodable>(
        _ type: T.Type, node: Node, path: [ConfigPathComponent]
    ) throws(ConfigError) -> T {
        try NodeDecoder(node: node, path: path, fileName: fileName).decodeSelf(type)
    }

    func makeNested(node: Node, path: [ConfigPathComponent]) -> NodeDecoder {
        let decoder = NodeDecoder(node: node, path: path, fileName: fileName)
        nested.append(decoder)
        return decoder
    }

    func request(_ key: String) {
        requested.insert(key)
    }

    func checkUnknownFields() throws(ConfigError) {
        if let mapping {
            for entry in mapping.entries where !requested.contains(entry.key) {
                var message = "unknown field \"\(entry.key)\""
                if let hint = unsupportedSections[entry.key] {
                    message += ": \(hint)"
                } else if let guess = closestKey(to: entry.key) {
                    message += " (did you mean \"\(guess)\"?)"
                }
                throw error(.unknownField, at: entry.keyNode, path: path + [.key(entry.key)], message)
            }
        }
        for decoder in nested {
            try decoder.checkUnknownFields()
        }
    }

    private func closestKey(to key: String) -> String? {
        var best: (String, Int)?
        for candidate in requested {
            let distance = editDistance(key, candidate)
            if distance <= max(2, candidate.count / 4), distance < (best?.1 ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    // MARK: Node shapes

    func flatMapping() throws(ConfigError) -> FlatMapping {
        if let mapping { return mapping }
        let flat: FlatMapping
        if node.isNull {
            flat = FlatMapping(entries: [], index: [:])
        } else {
            flat = try flatten(node, path: path)
        }
        mapping = flat
        return flat
    }

    func flatten(_ node: Node, path: [ConfigPathComponent]) throws(ConfigError) -> FlatMapping {
        guard case .mapping(let mapping) = node else {
            throw error(.typeMismatch, at: node, path: path, "expected a mapping, got \(node.kindDescription)")
        }
        var entries: [FlatMapping.Entry] = []
        var index: [String: Int] = [:]
        var merged: [FlatMapping.Entry] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw error(.typeMismatch, at: keyNode, path: path, "mapping keys must be strings, got \(keyNode.kindDescription)")
            }
            if keyScalar.style == .plain && keyScalar.string == "<<" {
                switch value {
                case .mapping:
                    merged += try flatten(value, path: path).entries
                case .sequence(let sources):
                    for source in sources {
                        merged += try flatten(source, path: path).entries
                    }
                default:
                    throw error(.typeMismatch, at: value, path: path, "merge key \"<<\" needs a mapping or a list of mappings, got \(value.kindDescription)")
                }
                continue
            }
            index[keyScalar.string] = entries.count
            entries.append(.init(key: keyScalar.string, keyNode: keyNode, value: value))
        }
        // Explicit keys win over merged ones; among merged sources the first wins.
        for entry in merged where index[entry.key] == nil {
            index[entry.key] = entries.count
            entries.append(entry)
        }
        return FlatMapping(entries: entries, index: index)
    }

    func sequenceItems() throws(ConfigError) -> [Node] {
        if node.isNull { return [] }
        guard case .sequence(let sequence) = node else {
            throw error(.typeMismatch, at: node, path: path, "expected a list, got \(node.kindDescription)")
        }
        return Array(sequence)
    }

    // MARK: Errors

    func error(
        _ kind: ConfigError.Kind, at node: Node?, path: [ConfigPathComponent], _ message: String
    ) -> ConfigError {
        let mark = node?.mark ?? self.node.mark
        return ConfigError(
            kind: kind, file: fileName, line: mark?.line ?? 1, column: mark?.column ?? 1,
            fieldPath: ConfigPathComponent.format(path), message: message)
    }

    func missing(_ key: String) -> ConfigError {
        error(.missingField, at: node, path: path + [.key(key)], "missing required field \"\(key)\"")
    }

    /// Points a validation error at the node its relative path names, or the deepest one that exists.
    func resolve(_ validation: ConfigValidationError) -> ConfigError {
        var current = node
        for component in validation.field {
            switch component {
            case .key(let key):
                guard let flat = try? flatten(current, path: path), let at = flat.index[key] else { break }
                current = flat.entries[at].value
                continue
            case .index(let index):
                guard case .sequence(let sequence) = current, sequence.indices.contains(index) else { break }
                current = sequence[index]
                continue
            }
            break
        }
        // A null value's position is where the value would have been; the key reads better.
        return error(.invalidValue, at: current, path: path + validation.field, validation.message)
    }

    func convert(_ decodingError: DecodingError) -> ConfigError {
        switch decodingError {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            error(.typeMismatch, at: node, path: path, context.debugDescription)
        case .keyNotFound(let key, _):
            missing(key.stringValue)
        case .dataCorrupted(let context):
            error(.invalidValue, at: node, path: path, context.debugDescription)
        @unknown default:
            error(.invalidValue, at: node, path: path, "\(decodingError)")
        }
    }

    func mismatch(_ expected: String) -> ConfigError {
        error(.typeMismatch, at: node, path: path, "expected \(expected), got \(node.kindDescription)")
    }
}

/// A mapping with merge keys applied, in document order, keys as strings.
struct FlatMapping {
    struct Entry {
        let key: String
        let keyNode: Node
        let value: Node
    }

    var entries: [Entry]
    var index: [String: Int]

    func entry(_ key: String) -> Entry? {
        index[key].map { entries[$0] }
    }
}

/// Prometheus sections Vigil knows but does not implement: named in the unknown-field error.
private let unsupportedSections: [String: String] = {
    let discoveries = [
        "azure", "consul", "digitalocean", "docker", "dockerswarm", "ec2", "eureka", "gce", "hetzner",
        "ionos", "kuma", "lightsail", "linode", "marathon", "nerve", "nomad", "openstack", "ovhcloud",
        "puppetdb", "scaleway", "serverset", "triton", "uyuni", "vultr",
    ]
    var table: [String: String] = [:]
    for name in discoveries {
        table["\(name)_sd_configs"] = "\(name) service discovery is not supported by Vigil; use file_sd_configs or http_sd_configs"
    }
    return table
}()

private func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

extension Node {
    /// Plain `~`, `null`, empty, or an explicit `!!null`: Go's yaml treats these as "no value".
    var isNull: Bool {
        guard case .scalar = self else { return false }
        return tag.rawValue == Tag.Name.null.rawValue
    }

    var kindDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull { return "null" }
            var text = scalar.string
            if text.unicodeScalars.count > 40 {
                text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "…"
            }
            let quoted = "\"\(text)\""
            switch tag.rawValue {
            case Tag.Name.int.rawValue: return "the integer \(text)"
            case Tag.Name.float.rawValue: return "the number \(text)"
            case Tag.Name.bool.rawValue: return "the boolean \(text)"
            default: return "the string \(quoted)"
            }
        }
    }
}
