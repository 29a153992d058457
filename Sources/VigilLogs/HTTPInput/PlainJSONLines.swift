import VigilModel

/// Reads the plain JSON an HTTP input accepts: one object, an array of objects, or NDJSON (one
/// object per line). Each object's `message` (or `log`) string is the line; an RFC 3339 `time` or
/// `timestamp` string its time; other members are ignored. Errors name the byte offset in the body.
enum PlainJSONLines {
    struct Line: Sendable, Equatable {
        var timestamp: Int64?
        var line: [UInt8]
    }

    static func decode(_ body: [UInt8]) throws(JSONReader.Error) -> [Line] {
        var first = 0
        while first < body.count, [0x20, 0x09, 0x0a, 0x0d].contains(body[first]) { first += 1 }
        guard first < body.count else { throw JSONReader.Error(message: "empty body", offset: 0) }
        if body[first] == UInt8(ascii: "[") {
            var reader = JSONReader(body)
            var lines: [Line] = []
            try reader.readArray { (reader: inout JSONReader) throws(JSONReader.Error) in
                lines.append(try object(&reader))
            }
            try reader.expectEnd()
            return lines
        }
        // One object, or NDJSON: each non-blank line one object.
        var lines: [Line] = []
        var lineStart = 0
        while lineStart < body.count {
            let lineEnd = body[lineStart...].firstIndex(of: 0x0a) ?? body.count
            let slice = body[lineStart..<lineEnd]
            if slice.contains(where: { ![0x20, 0x09, 0x0d].contains($0) }) {
                var reader = JSONReader(Array(slice))
                do throws(JSONReader.Error) {
                    lines.append(try object(&reader))
                    try reader.expectEnd()
                } catch {
                    // A pretty-printed single object spans lines: read the body as one value.
                    if lines.isEmpty, lineEnd < body.count {
                        var whole = JSONReader(body)
                        let line = try object(&whole)
                        try whole.expectEnd()
                        return [line]
                    }
                    throw JSONReader.Error(message: error.message, offset: lineStart + error.offset)
                }
            }
            lineStart = lineEnd + 1
        }
        return lines
    }

    private static func object(_ reader: inout JSONReader) throws(JSONReader.Error) -> Line {
        var message: String?
        var timestamp: Int64?
        let start = reader.failure("").offset
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Error) in
            switch key {
            case "message", "log":
                if message == nil { message = try reader.readString() } else { try reader.skipValue() }
            case "time", "timestamp":
                let at = reader.failure("").offset
                let text = try reader.readString()
                guard let parsed = Array(text.utf8).withUnsafeBytes({ RFC3339Nano.parse($0) }) else {
                    throw JSONReader.Error(message: "\(key) \"\(text)\" is not an RFC 3339 time", offset: at)
                }
                timestamp = parsed
            default:
                try reader.skipValue()
            }
        }
        guard let message else {
            throw JSONReader.Error(message: "the object has no \"message\" or \"log\" string", offset: start)
        }
        return Line(timestamp: timestamp, line: Array(message.utf8))
    }
}
