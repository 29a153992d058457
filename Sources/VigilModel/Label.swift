/// One name/value pair of a series' identity, such as `job="node"`.
///
/// Names are not validated here: parsers and the registry validate them where they enter.
public struct Label: Sendable, Hashable, Comparable {
    /// The label name, for example `job` or `__name__`.
    public var name: String
    /// The label value; an empty value means "no such label" in Prometheus's data model.
    public var value: String

    /// Creates a label from a name and a value.
    @inlinable
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Orders by name, then by value (Prometheus's `labels.Compare` order for one pair).
    @inlinable
    public static func < (lhs: Label, rhs: Label) -> Bool {
        let names = ByteOrder.compare(lhs.name, rhs.name)
        return names != 0 ? names < 0 : ByteOrder.less(lhs.value, rhs.value)
    }
}
