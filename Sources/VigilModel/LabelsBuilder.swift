/// Accumulates labels in any order and produces a sorted, de-duplicated ``Labels``.
///
/// A value type meant to be reused: ``reset()`` keeps its capacity.
public struct LabelsBuilder: Sendable {
    private var pending: ContiguousArray<Label>

    /// Creates an empty builder.
    public init() {
        pending = []
    }

    /// Creates a builder holding a copy of `labels`.
    public init(_ labels: Labels) {
        pending = labels.storage
    }

    /// Sets `name` to `value`; a later call for the same name wins; an empty value removes it.
    public mutating func set(_ name: String, _ value: String) {
        pending.append(Label(name: name, value: value))
    }

    /// Removes every label called `name`.
    public mutating func remove(_ name: String) {
        pending.append(Label(name: name, value: ""))
    }

    /// Forgets all labels, keeping the allocated capacity.
    public mutating func reset() {
        pending.removeAll(keepingCapacity: true)
    }

    /// The labels set so far: sorted by name, last value per name, empty values dropped.
    public func build() -> Labels {
        if pending.isEmpty { return .empty }
        // A stable sort keeps insertion order among equal names, so the last one is the winner.
        let ordered = pending.enumerated().sorted { lhs, rhs in
            if lhs.element.name != rhs.element.name {
                return ByteOrder.less(lhs.element.name, rhs.element.name)
            }
            return lhs.offset < rhs.offset
        }
        var result = ContiguousArray<Label>()
        result.reserveCapacity(ordered.count)
        var index = 0
        while index < ordered.count {
            var last = ordered[index].element
            index += 1
            while index < ordered.count && ordered[index].element.name == last.name {
                last = ordered[index].element
                index += 1
            }
            if !last.value.isEmpty { result.append(last) }
        }
        return Labels(sortedUnique: result)
    }
}
