/// One step into a YAML document: a mapping key or a sequence index.
public enum ConfigPathComponent: Sendable, Hashable, CustomStringConvertible,
    ExpressibleByStringLiteral, ExpressibleByIntegerLiteral
{
    /// A mapping key.
    case key(String)
    /// A 0-based sequence index.
    case index(Int)

    /// Creates a key component from a string literal.
    public init(stringLiteral value: String) {
        self = .key(value)
    }

    /// Creates an index component from an integer literal.
    public init(integerLiteral value: Int) {
        self = .index(value)
    }

    /// The component as it appears in a field path: `name` or `[3]`.
    public var description: String {
        switch self {
        case .key(let key): key
        case .index(let index): "[\(index)]"
        }
    }

    /// Formats a path the way errors print it: `scrape_configs[2].relabel_configs[0].regex`.
    public static func format(_ path: [ConfigPathComponent]) -> String {
        var text = ""
        for component in path {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}

/// The `CodingKey` the decoder reports in `codingPath`, made from a path component.
struct PathCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "[\(intValue)]"
        self.intValue = intValue
    }

    init(_ component: ConfigPathComponent) {
        switch component {
        case .key(let key): self.init(stringValue: key)
        case .index(let index): self.init(intValue: index)
        }
    }
}
