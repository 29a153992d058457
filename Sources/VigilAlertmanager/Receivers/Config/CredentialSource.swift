import VigilConfig

/// Where an integration's credential comes from: written in the configuration, or read from a file
/// each time it is used (so a rotated credential takes effect without a reload).
public enum CredentialSource<Inline: Sendable & Hashable>: Sendable, Hashable {
    /// Given in the configuration.
    case inline(Inline)
    /// Read from this file (whitespace trimmed), resolved against the configuration's directory.
    case file(String)

    /// Decodes `inlineKey` / `fileKey`: at most one may be set; nil when neither is.
    static func optional<Key: CodingKey>(
        _ container: KeyedDecodingContainer<Key>, inline inlineKey: Key, file fileKey: Key
    ) throws -> CredentialSource? where Inline: Decodable {
        let inline = try container.optional(inlineKey, as: Inline.self)
        let file = try container.value(fileKey, default: "")
        if let inline {
            if !file.isEmpty {
                throw ConfigValidationError(
                    "at most one of \(inlineKey.stringValue) & \(fileKey.stringValue) must be configured",
                    field: .key(fileKey.stringValue))
            }
            return .inline(inline)
        }
        return file.isEmpty ? nil : .file(file)
    }

    /// Decodes `inlineKey` / `fileKey`, exactly one of which must be set; `missing` is the message
    /// when neither is.
    static func required<Key: CodingKey>(
        _ container: KeyedDecodingContainer<Key>, inline inlineKey: Key, file fileKey: Key, missing: String
    ) throws -> CredentialSource where Inline: Decodable {
        guard let source = try optional(container, inline: inlineKey, file: fileKey) else {
            throw ConfigValidationError(missing)
        }
        return source
    }

    /// The same source with a file path resolved against `directory`.
    func resolvingPaths(in directory: String) -> CredentialSource {
        switch self {
        case .inline: self
        case .file(let path): .file(joinDirectory(directory, path))
        }
    }
}

extension CredentialSource where Inline == SecretURL {
    /// The URL's text, reading the file now if it comes from one.
    func resolve() throws(IntegrationError) -> String {
        switch self {
        case .inline(let url): return url.string
        case .file(let path): return try readCredentialFile(path, what: "url_file")
        }
    }
}

extension CredentialSource where Inline == Secret {
    /// The secret's text, reading the file now if it comes from one.
    func resolve(what: String) throws(IntegrationError) -> String {
        switch self {
        case .inline(let secret): return secret.value
        case .file(let path): return try readCredentialFile(path, what: what)
        }
    }
}
