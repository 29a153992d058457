import VigilModel

/// The labels of one line as the pipeline changes them: the stream's (and structured
/// metadata's) labels, copied into a dictionary only when a stage first touches them.
struct LineLabels {
    static let errorLabel = "__error__"
    static let errorDetailsLabel = "__error_details__"

    /// The stream labels plus structured metadata.
    let base: Labels
    private(set) var values: [String: String]?

    init(base: Labels) {
        self.base = base
    }

    var isModified: Bool { values != nil }

    mutating func materialize() {
        if values == nil {
            var dictionary = [String: String](minimumCapacity: base.count + 8)
            for label in base { dictionary[label.name] = label.value }
            values = dictionary
        }
    }

    subscript(name: String) -> String? {
        if let values { return values[name] }
        return base[name]
    }

    mutating func set(_ name: String, _ value: String) {
        materialize()
        values![name] = value
    }

    /// Sets a label a parser found, renaming it `name_extracted` when the stream has `name`.
    mutating func setParsed(_ name: String, _ value: String) {
        if base[name] != nil {
            set(name + "_extracted", value)
        } else {
            set(name, value)
        }
    }

    mutating func remove(_ name: String) {
        materialize()
        values!.removeValue(forKey: name)
    }

    var hasError: Bool { (self[Self.errorLabel] ?? "").isEmpty == false }

    mutating func setError(_ kind: String, details: String) {
        if hasError { return }
        set(Self.errorLabel, kind)
        set(Self.errorDetailsLabel, details)
    }

    var dictionary: [String: String] {
        if let values { return values }
        return base.dictionary
    }

    /// The labels named in `names` (sorted), skipping empty values.
    func build(keeping names: [String]) -> Labels {
        var result: [Label] = []
        result.reserveCapacity(names.count)
        for name in names {
            if let value = self[name], !value.isEmpty { result.append(Label(name: name, value: value)) }
        }
        return Labels(result)
    }

    /// The final label set; labels with empty values are absent, as in Prometheus's model.
    func build() -> Labels {
        guard let values else { return base }
        return Labels(values.lazy.filter { !$0.value.isEmpty }.map { Label(name: $0.key, value: $0.value) })
    }
}
