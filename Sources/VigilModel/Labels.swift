/// An immutable set of labels sorted by name with unique names: the identity of a series.
///
/// Built with ``LabelsBuilder`` or a dictionary literal; both sort, drop duplicate names (the last
/// one wins) and drop empty values, because Prometheus treats `a=""` as the absence of `a`.
/// Storage is one `ContiguousArray`; reading never allocates.
public struct Labels: Sendable, Hashable {
    /// The reserved label that carries the metric name.
    public static let metricName = "__name__"

    @usableFromInline
    internal let storage: ContiguousArray<Label>

    /// The empty label set.
    public static let empty = Labels(sortedUnique: [])

    /// Wraps labels the caller guarantees are sorted by name, unique and without empty values.
    @inlinable
    internal init(sortedUnique: ContiguousArray<Label>) {
        self.storage = sortedUnique
    }

    /// Creates a label set from any sequence of labels: sorts by name, keeps the last value of a
    /// repeated name and drops empty values.
    public init(_ labels: some Sequence<Label>) {
        var builder = LabelsBuilder()
        for label in labels { builder.set(label.name, label.value) }
        self = builder.build()
    }

    /// Creates a label set from labels that are usually already in canonical form (decoded from
    /// a WAL or snapshot that wrote them so): checked in one pass and kept as they are when
    /// sorted by name, unique and without empty values; otherwise built as ``init(_:)`` does.
    public init(canonicalizing labels: [Label]) {
        var canonical = true
        for index in labels.indices {
            if labels[index].value.isEmpty || (index > 0 && !ByteOrder.less(labels[index - 1].name, labels[index].name)) {
                canonical = false
                break
            }
        }
        self = canonical ? Labels(sortedUnique: ContiguousArray(labels)) : Labels(labels)
    }

    /// The value of the label called `name`, or `nil`; no allocation. Short sets (most series
    /// have fewer than a dozen labels) are scanned, where `==` on small strings is a bit
    /// comparison; longer ones are binary-searched.
    @inlinable
    public subscript(name: String) -> String? {
        if storage.count <= 12 {
            for label in storage where label.name == name { return label.value }
            return nil
        }
        var low = 0
        var high = storage.count
        while low < high {
            let mid = (low &+ high) >> 1
            let candidate = storage[mid].name
            if candidate == name { return storage[mid].value }
            if ByteOrder.less(candidate, name) { low = mid &+ 1 } else { high = mid }
        }
        return nil
    }

    /// The metric name (the `__name__` label), or `nil` when there is none.
    @inlinable
    public var name: String? { self[Labels.metricName] }

    /// The same labels without `__name__`.
    public var withoutName: Labels {
        guard name != nil else { return self }
        return Labels(sortedUnique: storage.filter { $0.name != Labels.metricName })
    }

    /// A copy with `name` set to `value` (an empty value removes the label).
    public func setting(_ name: String, to value: String) -> Labels {
        var builder = LabelsBuilder(self)
        builder.set(name, value)
        return builder.build()
    }

    /// The labels as a dictionary from name to value.
    public var dictionary: [String: String] {
        var result: [String: String] = [:]
        result.reserveCapacity(storage.count)
        for label in storage { result[label.name] = label.value }
        return result
    }

    /// The form Prometheus uses in messages: `up{job="x"}`, or `{job="x"}` without a name.
    public var seriesDescription: String {
        let name = self.name ?? ""
        let rest = withoutName
        if rest.isEmpty && !name.isEmpty { return name }
        return name + rest.description
    }
}

extension Labels: RandomAccessCollection {
    /// The position of the first label.
    @inlinable public var startIndex: Int { 0 }
    /// The position after the last label.
    @inlinable public var endIndex: Int { storage.count }
    /// The label at `position`, in name order.
    @inlinable public subscript(position: Int) -> Label { storage[position] }
}

extension Labels: Comparable {
    /// Prometheus's `labels.Compare` order: pairwise by name then value; a prefix sorts first.
    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        let count = Swift.min(lhs.storage.count, rhs.storage.count)
        for index in 0..<count {
            let left = lhs.storage[index]
            let right = rhs.storage[index]
            let names = ByteOrder.compare(left.name, right.name)
            if names != 0 { return names < 0 }
            let values = ByteOrder.compare(left.value, right.value)
            if values != 0 { return values < 0 }
        }
        return lhs.storage.count < rhs.storage.count
    }
}

extension Labels: ExpressibleByDictionaryLiteral {
    /// Creates labels from `["job": "node", "instance": "a:9100"]`.
    public init(dictionaryLiteral elements: (String, String)...) {
        var builder = LabelsBuilder()
        for (name, value) in elements { builder.set(name, value) }
        self = builder.build()
    }
}

extension Labels: CustomStringConvertible {
    /// Prometheus's `Labels.String()` form: `{__name__="up", job="x"}`, values escaped.
    public var description: String {
        var result = "{"
        for (index, label) in storage.enumerated() {
            if index > 0 { result += ", " }
            result += label.name
            result += "=\""
            Labels.appendEscaped(label.value, to: &result)
            result += "\""
        }
        result += "}"
        return result
    }

    static func appendEscaped(_ value: String, to result: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default: result.unicodeScalars.append(scalar)
            }
        }
    }
}
