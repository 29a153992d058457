import VigilModel

/// Reads a JSON object line into fields: strings decoded, numbers, booleans and arrays as
/// written, `null` as empty, nested objects flattened to `outer_inner` (Loki's `| json` naming).
struct JSONFieldParser: LineFieldParser {
    /// Nesting deeper than this is kept as raw text rather than flattened further.
    static let maxFlattenDepth = 16
    /// The only fields to return, when not all are used; the others' values are skipped unread.
    let wanted: Set<String>?
    /// The top-level names of `wanted`, compared with keys as written.
    private let wantedKeys: [[UInt8]]

    init(wanted: Set<String>? = nil) {
        self.wanted = wanted
        wantedKeys = (wanted ?? []).map { Array($0.utf8) }
    }

    func fields(of line: [UInt8]) throws(LineParseError) -> [LogField] {
        var reader = JSONReader(line)
        var fields: [LogField] = []
        do {
            guard reader.peek() == UInt8(ascii: "{") else { throw reader.failure("expected a JSON object") }
            if wanted != nil {
                try readWanted(&reader, into: &fields)
            } else {
                try Self.readObject(&reader, prefix: "", depth: 0, into: &fields)
            }
            try reader.expectEnd()
        } catch {
            throw LineParseError(kind: "JSONParserErr", message: "\(error)")
        }
        return fields
    }

    /// Reads the top-level object, making strings only for wanted keys and their values; nested
    /// objects are flattened as ``readObject(_:prefix:depth:wanted:into:)`` does.
    private func readWanted(_ reader: inout JSONReader, into fields: inout [LogField]) throws(JSONReader.Error) {
        try reader.readObject(keys: { (reader: inout JSONReader, key: JSONReader.Key) throws(JSONReader.Error) in
            let next = reader.peek()
            if next == UInt8(ascii: "{") {
                try Self.readObject(&reader, prefix: reader.text(of: key), depth: 1, wanted: wanted, into: &fields)
                return
            }
            guard reader.index(of: key, in: wantedKeys) != nil else {
                try reader.skipValue()
                return
            }
            try Self.readValue(&reader, name: reader.text(of: key), next: next, into: &fields)
        })
    }

    static func readObject(
        _ reader: inout JSONReader, prefix: String, depth: Int, wanted: Set<String>? = nil, into fields: inout [LogField]
    ) throws(JSONReader.Error) {
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Error) in
            let name = prefix.isEmpty ? key : prefix + "_" + key
            let next = reader.peek()
            if let wanted, next != UInt8(ascii: "{"), !wanted.contains(name) {
                try reader.skipValue()
                return
            }
            if next == UInt8(ascii: "{") && depth < maxFlattenDepth {
                try readObject(&reader, prefix: name, depth: depth + 1, wanted: wanted, into: &fields)
            } else {
                try readValue(&reader, name: name, next: next, into: &fields)
            }
        }
    }

    /// Reads a value that is not flattened further as the field `name`.
    private static func readValue(
        _ reader: inout JSONReader, name: String, next: UInt8?, into fields: inout [LogField]
    ) throws(JSONReader.Error) {
        switch next {
        case UInt8(ascii: "\""):
            fields.append(LogField(name, try reader.readString()))
        case UInt8(ascii: "n"):
            _ = try reader.readRawValue()
            fields.append(LogField(name, ""))
        default:
            fields.append(LogField(name, String(decoding: try reader.readRawValue(), as: UTF8.self)))
        }
    }
}
