import VigilModel

/// Label checks every push path shares (JSON, protobuf, the in-process appender).
enum PushValidation {
    /// Sorts `labels`, drops empty values (Prometheus's data model: an empty value is no label),
    /// and refuses invalid or duplicate names and an empty set, with Loki's messages.
    static func labels(_ labels: [Label], source: @autoclosure () -> String) throws(LogStoreError) -> Labels {
        var kept: [Label] = []
        kept.reserveCapacity(labels.count)
        for label in labels {
            guard isValidName(label.name) else {
                throw .badRequest("Error parsing labels '\(source())' with error: invalid label name \(GoQuote.quote(label.name))")
            }
            if !label.value.isEmpty { kept.append(label) }
        }
        kept.sort()
        for index in kept.indices.dropFirst() where kept[index].name == kept[index - 1].name {
            throw .badRequest("stream '\(source())' has duplicate label name: '\(kept[index].name)'")
        }
        guard !kept.isEmpty else { throw .badRequest("error at least one label pair is required per stream") }
        return Labels(kept)
    }

    static func isValidName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            guard StreamSelector.Parser.isNameByte(byte, first: first) else { return false }
            first = false
        }
        return !first
    }
}
