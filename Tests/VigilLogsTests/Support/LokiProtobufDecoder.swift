/// Reads a Loki `logproto.PushRequest` the way Loki does, for the sink: streams of a label string
/// and entries of a timestamp (seconds, nanos) and a line. Nil on malformed input.
enum LokiProtobufDecoder {
    struct Stream: Equatable {
        var labels: String
        var entries: [(nanoseconds: Int64, line: String, metadata: [String: String])]

        static func == (lhs: Stream, rhs: Stream) -> Bool {
            lhs.labels == rhs.labels && lhs.entries.elementsEqual(rhs.entries) { $0 == $1 }
        }
    }

    static func decode(_ bytes: [UInt8]) -> [Stream]? {
        var streams: [Stream] = []
        guard forEachField(bytes[...], { field, payload in
            guard field == 1, let payload else { return true }
            var stream = Stream(labels: "", entries: [])
            let ok = forEachField(payload) { field, inner in
                guard let inner else { return false }
                if field == 1 { stream.labels = String(decoding: inner, as: UTF8.self) }
                if field == 2 {
                    var nanos: Int64 = 0
                    var line = ""
                    var metadata: [String: String] = [:]
                    let entryOK = forEachField(inner) { field, value in
                        guard let value else { return false }
                        if field == 2 { line = String(decoding: value, as: UTF8.self) }
                        if field == 3 {
                            var name = ""
                            var text = ""
                            let pairOK = forEachField(value) { pairField, pairValue in
                                guard let pairValue else { return false }
                                if pairField == 1 { name = String(decoding: pairValue, as: UTF8.self) }
                                if pairField == 2 { text = String(decoding: pairValue, as: UTF8.self) }
                                return true
                            }
                            metadata[name] = text
                            return pairOK
                        }
                        if field == 1 {
                            return forEachVarint(value) { field, number in
                                if field == 1 { nanos += Int64(bitPattern: number) * 1_000_000_000 }
                                if field == 2 { nanos += Int64(number) }
                            }
                        }
                        return true
                    }
                    guard entryOK else { return false }
                    stream.entries.append((nanos, line, metadata))
                }
                return true
            }
            streams.append(stream)
            return ok
        }) else { return nil }
        return streams
    }

    private static func varint(_ bytes: ArraySlice<UInt8>, _ index: inout Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.endIndex, shift < 64 {
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }

    /// Calls `body` with each length-delimited field (nil payload for other wire types).
    private static func forEachField(_ bytes: ArraySlice<UInt8>, _ body: (UInt64, ArraySlice<UInt8>?) -> Bool) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard let tag = varint(bytes, &index) else { return false }
            switch tag & 7 {
            case 2:
                guard let length = varint(bytes, &index), length <= UInt64(bytes.endIndex - index) else { return false }
                let end = index + Int(length)
                guard body(tag >> 3, bytes[index..<end]) else { return false }
                index = end
            case 0:
                guard varint(bytes, &index) != nil, body(tag >> 3, nil) else { return false }
            default:
                return false
            }
        }
        return true
    }

    private static func forEachVarint(_ bytes: ArraySlice<UInt8>, _ body: (UInt64, UInt64) -> Void) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard let tag = varint(bytes, &index), tag & 7 == 0, let value = varint(bytes, &index) else { return false }
            body(tag >> 3, value)
        }
        return true
    }
}
