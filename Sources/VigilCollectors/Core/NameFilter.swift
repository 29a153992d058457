internal import Synchronization

/// A regular-expression test on a name (device, mount point, field), as node_exporter's
/// `--collector.*.device-exclude` / `-include` and `fields` flags apply one: Go's
/// `MatchString`, so unanchored unless the pattern anchors itself.
///
/// Names repeat scrape after scrape, so each name's answer is cached (bounded) and the regex
/// engine runs once per new name. Thread-safe.
public final class NameFilter: Sendable {
    /// Keep names that match, or drop them.
    public enum Mode: Sendable {
        /// Only matching names are kept (`*-include`, `fields`).
        case include
        /// Matching names are dropped (`*-exclude`).
        case exclude
    }

    /// The pattern as given.
    public let pattern: String
    /// Whether a match keeps or drops a name.
    public let mode: Mode
    private let regex: CompiledPattern
    private let cache = Mutex<[String: Bool]>([:])

    /// Compiles `pattern`.
    ///
    /// - Throws: ``CollectorError`` naming the flag when the pattern does not compile.
    public init(_ pattern: String, mode: Mode, flag: String) throws(CollectorError) {
        self.pattern = pattern
        self.mode = mode
        do {
            regex = try CompiledPattern(pattern)
        } catch {
            throw .malformed("--" + flag, "invalid regular expression \"\(pattern)\": \(error)")
        }
    }

    /// Whether `name` is kept.
    public func keeps(_ name: String) -> Bool {
        if let known = cache.withLock({ $0[name] }) { return known }
        let matched = regex.matches(name)
        let kept = mode == .include ? matched : !matched
        cache.withLock { cache in
            if cache.count > 4096 { cache.removeAll() }
            cache[name] = kept
        }
        return kept
    }
}

/// `Regex` is not declared `Sendable`; it is immutable once built and compiled eagerly here, so
/// sharing it for matching is safe.
private final class CompiledPattern: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>

    init(_ pattern: String) throws {
        regex = try Regex<AnyRegexOutput>(pattern).matchingSemantics(.unicodeScalar)
        _ = matches("")
    }

    func matches(_ value: String) -> Bool {
        (try? regex.firstMatch(in: value)) != nil
    }
}
