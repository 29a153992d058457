import VigilModel

/// A JSON fragment written straight into bytes, for answers with many thousands of strings
/// (`/api/v1/series`, label values): appending bytes is a copy, where appending to a `String`
/// also re-validates and re-counts it.
struct JSONBytes {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends JSON syntax or an already-encoded fragment as it is.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `value` as a JSON string literal, escaped as ``JSONQuoting`` does.
    mutating func quoted(_ value: String) {
        if JSONQuoting.isPlain(value) {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
        } else {
            bytes.append(contentsOf: JSONQuoting.quote(value).utf8)
        }
    }

    /// Appends `["a","b"]`.
    mutating func strings(_ values: some Sequence<String>) {
        raw("[")
        var first = true
        for value in values {
            if !first { raw(",") }
            first = false
            quoted(value)
        }
        raw("]")
    }

    /// Appends `{"__name__":"up","job":"x"}` in label order.
    mutating func labels(_ labels: Labels) {
        raw("{")
        var first = true
        for label in labels {
            if !first { raw(",") }
            first = false
            quoted(label.name)
            raw(":")
            quoted(label.value)
        }
        raw("}")
    }
}
