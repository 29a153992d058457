import VigilModel

/// Reads a JSON object line into fields: strings decoded, numbers, booleans and arrays as
/// written, `null` as empty, nested objects flattened to `outer_inner` (Loki's `| json` naming).
struct JSONFieldParser: LineFieldParser {
    /// Nesting deeper than this is kept as raw text rather than flattened further.
    static let maxFlattenDepth = 16

    func fields(of line: [UInt8]) throws(LineParseError) -> [LogField] {
        var reader = JSONReader(line)
        var fields: [LogField] = []
        do {
            guard reader.peek() == UInt8(ascii: "{") else { throw reader.failure("expected a JSON object") }
            try Self.readObject(&reader, prefix: "", depth: 0, into: &fields)
            try reader.expectEnd()
        } catch {
            throw LineParseError(kind: "JSONParserErr", message: "\(error)")
        }
        return fields
    }

    static func readObject(
        _ reader: inout JSONReader, prefix: String, depth: Int, into fields: inout [LogField]
    ) throws(JSONReader.Error) {
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Error) in
            let name = prefix.isEmpty ? key : prefix + "_" + key
            switch reader.peek() {
            case UInt8(ascii: "\""):
                fields.append(LogField(name, try reader.readString()))
            case UInt8(ascii: "{") where depth < maxFlattenDepth:
                try readObject(&reader, prefix: name, depth: depth + 1, into: &fields)
            case UInt8(ascii: "n"):
                _ = try reader.readRawValue()
                fields.append(LogField(name, ""))
            default:
                fields.append(LogField(name, String(decoding: try reader.readRawValue(), as: UTF8.self)))
            }
        }
    }
}
