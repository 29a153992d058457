/// Defaults and optional values for configuration sections; public so that every module that owns
/// a section decodes it the same way.
extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when the key is absent or null.
    public func value<T: Decodable>(_ key: Key, default fallback: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback()
    }

    /// The value at `key`, or nil when absent or null.
    public func optional<T: Decodable>(_ key: Key, as type: T.Type = T.self) throws -> T? {
        try decodeIfPresent(T.self, forKey: key)
    }

    /// A non-negative count (Go's `uint` fields), 0 when absent.
    public func count(_ key: Key) throws -> Int {
        guard let value = try decodeIfPresent(UInt.self, forKey: key) else { return 0 }
        return Int(clamping: value)
    }

    /// A list, empty when absent or null.
    public func list<T: Decodable>(_ key: Key, of type: T.Type = T.self) throws -> [T] {
        try decodeIfPresent([T].self, forKey: key) ?? []
    }

    /// A string map, empty when absent or null.
    public func map<T: Decodable>(_ key: Key, of type: T.Type = T.self) throws -> [String: T] {
        try decodeIfPresent([String: T].self, forKey: key) ?? [:]
    }
}

/// Joins a relative path onto the configuration file's directory, as Prometheus's `config.JoinDir`.
///
/// Empty and absolute paths are kept as they are; the result is cleaned (`a/./b/../c` → `a/c`).
public func joinDirectory(_ directory: String, _ path: String) -> String {
    if path.isEmpty || path.hasPrefix("/") || directory.isEmpty { return path }
    return cleanPath(directory + "/" + path)
}

/// Lexically cleans a path the way Go's `filepath.Clean` does.
func cleanPath(_ path: String) -> String {
    if path.isEmpty { return "." }
    let rooted = path.hasPrefix("/")
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
        switch part {
        case ".":
            continue
        case "..":
            if let last = parts.last, last != ".." {
                parts.removeLast()
            } else if !rooted {
                parts.append(part)
            }
        default:
            parts.append(part)
        }
    }
    let joined = parts.joined(separator: "/")
    if rooted { return "/" + joined }
    return joined.isEmpty ? "." : joined
}
