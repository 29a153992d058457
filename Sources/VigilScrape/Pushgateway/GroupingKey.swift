public import VigilModel

/// The labels naming one group of pushed metrics: `job` and the label pairs of the push URL
/// (`/metrics/job/<job>{/<label>/<value>}`), as the Pushgateway keys its groups.
///
/// Labels are sorted by name (bytewise) and unique; `job` is always there and never empty; other
/// values may be empty (`/metrics/job/j/a@base64/=`). Two pushes with the same labels address
/// the same group whatever the order of the pairs in their URLs.
public struct GroupingKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The labels, sorted by name; empty values kept.
    public let labels: [Label]

    /// A key from label pairs; a name given twice keeps the last value.
    ///
    /// - Throws: when `job` is missing or empty, or a name is not a valid, non-reserved label
    ///   name.
    public init(labels: [String: String]) throws(PushgatewayError) {
        guard let job = labels["job"], !job.isEmpty else { throw .invalidPath("job name is required") }
        for name in labels.keys where !GroupingKey.isValidName(name) {
            throw .invalidPath("improper label name \"\(name)\"")
        }
        self.labels = labels.map { Label(name: $0.key, value: $0.value) }
            .sorted { ByteOrder.less($0.name, $1.name) }
    }

    /// The `job` label's value.
    public var job: String { labels.first { $0.name == "job" }?.value ?? "" }

    /// The value of label `name`, if the key has it.
    public subscript(name: String) -> String? { labels.first { $0.name == name }?.value }

    /// The labels as a dictionary.
    public var dictionary: [String: String] {
        Dictionary(labels.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// Reads the grouping key of a push URL path as the Pushgateway does.
    ///
    /// `path` is the request path as sent (percent-encoded); it is decoded first and then split on
    /// `/`, so an encoded slash separates components as it does in the Pushgateway (use
    /// `@base64` for values with slashes). `/metrics/job@base64/<job>` and `<label>@base64/<value>`
    /// take URL-safe base64 with optional `=` padding; `=` alone is the empty value. Components
    /// must pair up; a repeated label keeps its last value; a `job` pair is overridden by the job.
    ///
    /// - Throws: ``PushgatewayError`` with status 404 when `path` is not under `/metrics/job/` or
    ///   `/metrics/job@base64/`, and 400 for a bad escape, an odd number of components, an improper
    ///   label name, bad base64, a missing job, or a value that is not UTF-8 once decoded.
    public static func parse(path: String) throws(PushgatewayError) -> GroupingKey {
        guard let decoded = PercentEncoding.decode(path, plusAsSpace: false) else {
            throw .invalidPath("invalid URL escape in \(JSONQuoting.quote(path))")
        }
        let plainPrefix = Array("/metrics/job/".utf8)
        let base64Prefix = Array("/metrics/job@base64/".utf8)
        let jobIsBase64: Bool
        var rest: ArraySlice<UInt8>
        if decoded.starts(with: plainPrefix) {
            jobIsBase64 = false
            rest = decoded[plainPrefix.count...]
        } else if decoded.starts(with: base64Prefix) {
            jobIsBase64 = true
            rest = decoded[base64Prefix.count...]
        } else {
            throw .notFound(path)
        }
        let jobEnd = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
        var job = Array(rest[rest.startIndex..<jobEnd])
        rest = rest[jobEnd...]
        if jobIsBase64 {
            do {
                job = try Base64URL.decode(job)
            } catch {
                throw .invalidPath("invalid base64 encoding in job name \"\(text(job))\": \(error.description)")
            }
        }
        var labels = try splitLabels(rest)
        guard !job.isEmpty else { throw .invalidPath("job name is required") }
        guard let jobText = String(validating: job, as: UTF8.self) else {
            throw .invalidPath("job name \(JSONQuoting.quote(text(job))) is not valid UTF-8")
        }
        labels["job"] = jobText
        return try GroupingKey(labels: labels)
    }

    /// `/<label>/<value>` pairs (with a leading slash) as the Pushgateway's `splitLabels`: a
    /// string of at most one byte holds none; `/a/` is `a=""`.
    private static func splitLabels(_ string: ArraySlice<UInt8>) throws(PushgatewayError) -> [String: String] {
        var result: [String: String] = [:]
        guard string.count > 1 else { return result }
        let components = string.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard components.count % 2 == 0 else {
            throw .invalidPath("odd number of components in label string \(JSONQuoting.quote(text(string)))")
        }
        let suffix = Array("@base64".utf8)
        for index in stride(from: 0, to: components.count, by: 2) {
            var name = Array(components[index])
            var value = Array(components[index + 1])
            let isBase64 = name.count >= suffix.count && Array(name.suffix(suffix.count)) == suffix
            if isBase64 { name.removeLast(suffix.count) }
            guard let nameText = String(validating: name, as: UTF8.self), isValidName(nameText) else {
                throw .invalidPath("improper label name \(JSONQuoting.quote(text(name)))")
            }
            if isBase64 {
                do {
                    value = try Base64URL.decode(value)
                } catch {
                    throw .invalidPath(
                        "invalid base64 encoding for label \(nameText)=\(JSONQuoting.quote(text(value))): \(error.description)"
                    )
                }
            }
            guard let valueText = String(validating: value, as: UTF8.self) else {
                throw .invalidPath("value of label \(nameText) is not valid UTF-8")
            }
            result[nameText] = valueText
        }
        return result
    }

    /// A label name as Prometheus allows it (`[a-zA-Z_][a-zA-Z0-9_]*`) and not reserved (`__`).
    static func isValidName(_ name: String) -> Bool {
        LabelNames.isValidLegacy(name) && !name.hasPrefix("__")
    }

    /// Bytes for a message: invalid UTF-8 shows as U+FFFD.
    private static func text(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// The path a push to this group goes to, as client_golang's `push` package builds it: a value
    /// with a `/` (or a dot segment), or an empty one, in `@base64` form (`=` for empty), others
    /// percent-encoded.
    public var path: String {
        var path = "/metrics/" + Self.component("job", job)
        for label in labels where label.name != "job" {
            path += "/" + Self.component(label.name, label.value)
        }
        return path
    }

    private static func component(_ name: String, _ value: String) -> String {
        if value.isEmpty { return name + "@base64/=" }
        if value.utf8.contains(UInt8(ascii: "/")) || value == "." || value == ".." {
            // Slashes would split the value; dot segments would be resolved away by clients.
            return name + "@base64/" + Base64URL.encode(value.utf8)
        }
        return name + "/" + PercentEncoding.encode(value)
    }

    /// `{a="b",job="x"}`: the labels in order, values quoted as in an exposition.
    public var description: String {
        "{" + labels.map { $0.name + "=" + JSONQuoting.quote($0.value) }.joined(separator: ",") + "}"
    }

    /// Orders keys by their label lists (names, then values, bytewise).
    public static func < (lhs: GroupingKey, rhs: GroupingKey) -> Bool {
        for (left, right) in zip(lhs.labels, rhs.labels) {
            if left.name != right.name { return ByteOrder.less(left.name, right.name) }
            if left.value != right.value { return ByteOrder.less(left.value, right.value) }
        }
        return lhs.labels.count < rhs.labels.count
    }
}
