#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// File name patterns with Go's `filepath.Glob` / `filepath.Match` semantics, as Prometheus uses
/// for `rule_files`, `scrape_config_files` and file discovery: `*`, `?`, `[a-z]`, `[^…]`, `\` escapes;
/// no `**`, and no wildcard crosses a `/`.
public enum Glob {
    /// A pattern Go's `filepath.Match` would reject (an unclosed `[`, a trailing `\`).
    public struct BadPattern: Error {}

    /// The existing paths matching `pattern`, sorted within each directory.
    public static func expand(_ pattern: String) throws(BadPattern) -> [String] {
        if !hasMeta(pattern) {
            return FileManager.default.fileExists(atPath: pattern) ? [pattern] : []
        }
        var directory = ""
        var file = pattern
        if let slash = pattern.lastIndex(of: "/") {
            directory = String(pattern[...slash])
            file = String(pattern[pattern.index(after: slash)...])
        }
        if directory.isEmpty {
            directory = "."
        } else if directory != "/" {
            directory.removeLast()
        }
        if !hasMeta(directory) {
            return try matches(in: directory, pattern: file)
        }
        guard directory != pattern else { throw BadPattern() }
        var results: [String] = []
        for parent in try expand(directory) {
            results += try matches(in: parent, pattern: file)
        }
        return results
    }

    private static func matches(in directory: String, pattern: String) throws(BadPattern) -> [String] {
        // Validate the pattern even when the directory is missing, as Go does.
        _ = try match(pattern, "")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var results: [String] = []
        for name in names.sorted() where try match(pattern, name) {
            results.append(directory == "." ? name : cleanPath(directory + "/" + name))
        }
        return results
    }

    static func hasMeta(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" || $0 == "\\" }
    }

    /// Whether `name` matches the whole of `pattern`.
    static func match(_ pattern: String, _ name: String) throws(BadPattern) -> Bool {
        try match(Array(pattern.unicodeScalars), 0, Array(name.unicodeScalars), 0)
    }

    private static func match(
        _ pattern: [Unicode.Scalar], _ start: Int, _ name: [Unicode.Scalar], _ nameStart: Int
    ) throws(BadPattern) -> Bool {
        var p = start
        var n = nameStart
        while p < pattern.count {
            switch pattern[p] {
            case "*":
                while p < pattern.count && pattern[p] == "*" { p += 1 }
                if p == pattern.count { return !name[n...].contains("/") }
                var candidate = n
                while candidate <= name.count {
                    if try match(pattern, p, name, candidate) { return true }
                    if candidate < name.count && name[candidate] == "/" { break }
                    candidate += 1
                }
                return false
            case "?":
                guard n < name.count, name[n] != "/" else { return false }
                p += 1
                n += 1
            case "[":
                p += 1
                let negated = p < pattern.count && pattern[p] == "^"
                if negated { p += 1 }
                var matched = false
                var ranges = 0
                while true {
                    guard p < pattern.count else { throw BadPattern() }
                    if pattern[p] == "]" && ranges > 0 {
                        p += 1
                        break
                    }
                    let low = try escaped(pattern, &p)
                    var high = low
                    if p < pattern.count && pattern[p] == "-" {
                        p += 1
                        high = try escaped(pattern, &p)
                    }
                    if n < name.count && low <= name[n] && name[n] <= high { matched = true }
                    ranges += 1
                }
                guard n < name.count, name[n] != "/", matched != negated else { return false }
                n += 1
            case "\\":
                p += 1
                guard p < pattern.count else { throw BadPattern() }
                fallthrough
            default:
                guard n < name.count, name[n] == pattern[p] else { return false }
                p += 1
                n += 1
            }
        }
        return n == name.count
    }

    private static func escaped(_ pattern: [Unicode.Scalar], _ p: inout Int) throws(BadPattern) -> Unicode.Scalar {
        guard p < pattern.count, pattern[p] != "-", pattern[p] != "]" else { throw BadPattern() }
        if pattern[p] == "\\" {
            p += 1
            guard p < pattern.count else { throw BadPattern() }
        }
        defer { p += 1 }
        return pattern[p]
    }
}
