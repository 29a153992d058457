extension ReadRequest {
    /// The request as protobuf bytes (remote read bodies are snappy-compressed on top).
    public func serializedBytes() -> [UInt8] {
        var writer = ProtobufWriter()
        for query in queries {
            writer.writeLengthPrefix(field: 1, length: query.encodedSize)
            query.write(to: &writer)
        }
        if !acceptedResponseTypes.isEmpty {
            // proto3 packs repeated enums.
            var payload = 0
            for type in acceptedResponseTypes { payload += ProtobufWriter.varintSize(type.wire) }
            writer.writeLengthPrefix(field: 2, length: payload)
            for type in acceptedResponseTypes { writer.writeVarint(type.wire) }
        }
        return writer.bytes
    }

    /// Decodes protobuf bytes; accepts packed and unpacked response types.
    ///
    /// - Throws: ``RemoteWriteError`` when the bytes are not a well-formed `ReadRequest`.
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(RemoteWriteError) {
        self.init(queries: [])
        var reader = ProtobufReader(bytes)
        do {
            while let (field, type) = try reader.readTag() {
                let start = reader.position
                switch field {
                case 1:
                    try reader.expect(type, .lengthDelimited, field: field, at: start)
                    var inner = reader.subReader(try reader.readLengthDelimited())
                    queries.append(try Query(reading: &inner))
                case 2 where type == .varint:
                    acceptedResponseTypes.append(ResponseType(wire: try reader.readVarint()))
                case 2:
                    try reader.expect(type, .lengthDelimited, field: field, at: start)
                    var inner = reader.subReader(try reader.readLengthDelimited())
                    while !inner.isAtEnd { acceptedResponseTypes.append(ResponseType(wire: try inner.readVarint())) }
                default:
                    try reader.skip(type, field: field)
                }
            }
        } catch {
            throw RemoteWriteError(protobuf: error)
        }
    }
}

extension ReadRequest.Query {
    var encodedSize: Int {
        var size = 0
        if startTimestampMs != 0 { size += ProtobufWriter.int64Size(field: 1, startTimestampMs) }
        if endTimestampMs != 0 { size += ProtobufWriter.int64Size(field: 2, endTimestampMs) }
        for matcher in matchers { size += ProtobufWriter.lengthDelimitedSize(field: 3, payload: matcher.encodedSize) }
        if let hints { size += ProtobufWriter.lengthDelimitedSize(field: 4, payload: hints.encodedSize) }
        return size
    }

    func write(to writer: inout ProtobufWriter) {
        if startTimestampMs != 0 { writer.writeInt64(field: 1, startTimestampMs) }
        if endTimestampMs != 0 { writer.writeInt64(field: 2, endTimestampMs) }
        for matcher in matchers {
            writer.writeLengthPrefix(field: 3, length: matcher.encodedSize)
            matcher.write(to: &writer)
        }
        if let hints {
            writer.writeLengthPrefix(field: 4, length: hints.encodedSize)
            hints.write(to: &writer)
        }
    }

    init(reading reader: inout ProtobufReader) throws(ProtobufError) {
        self.init(startTimestampMs: 0, endTimestampMs: 0, matchers: [])
        while let (field, type) = try reader.readTag() {
            let start = reader.position
            switch field {
            case 1:
                try reader.expect(type, .varint, field: field, at: start)
                startTimestampMs = try reader.readInt64()
            case 2:
                try reader.expect(type, .varint, field: field, at: start)
                endTimestampMs = try reader.readInt64()
            case 3:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                var inner = reader.subReader(try reader.readLengthDelimited())
                matchers.append(try Matcher(reading: &inner))
            case 4:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                var inner = reader.subReader(try reader.readLengthDelimited())
                hints = try Hints(reading: &inner)
            default:
                try reader.skip(type, field: field)
            }
        }
    }
}

extension ReadRequest.Query.Matcher {
    var encodedSize: Int {
        (type == .equal ? 0 : 2)
            + (name.isEmpty ? 0 : ProtobufWriter.stringSize(field: 2, name))
            + (value.isEmpty ? 0 : ProtobufWriter.stringSize(field: 3, value))
    }

    func write(to writer: inout ProtobufWriter) {
        if type != .equal {
            writer.writeTag(1, .varint)
            writer.writeVarint(type.rawValue)
        }
        if !name.isEmpty { writer.writeString(field: 2, name) }
        if !value.isEmpty { writer.writeString(field: 3, value) }
    }

    init(reading reader: inout ProtobufReader) throws(ProtobufError) {
        self.init(type: .equal, name: "", value: "")
        while let (field, wireType) = try reader.readTag() {
            let start = reader.position
            switch field {
            case 1:
                try reader.expect(wireType, .varint, field: field, at: start)
                guard let matchType = MatchType(rawValue: try reader.readVarint()) else {
                    throw reader.error(.invalidEnum(field: field), at: start)
                }
                type = matchType
            case 2:
                try reader.expect(wireType, .lengthDelimited, field: field, at: start)
                name = try reader.readString()
            case 3:
                try reader.expect(wireType, .lengthDelimited, field: field, at: start)
                value = try reader.readString()
            default:
                try reader.skip(wireType, field: field)
            }
        }
    }
}

extension ReadRequest.Query.Hints {
    var encodedSize: Int {
        var size = 0
        if stepMilliseconds != 0 { size += ProtobufWriter.int64Size(field: 1, stepMilliseconds) }
        if !function.isEmpty { size += ProtobufWriter.stringSize(field: 2, function) }
        if startMilliseconds != 0 { size += ProtobufWriter.int64Size(field: 3, startMilliseconds) }
        if endMilliseconds != 0 { size += ProtobufWriter.int64Size(field: 4, endMilliseconds) }
        for group in grouping { size += ProtobufWriter.stringSize(field: 5, group) }
        if by { size += 2 }
        if rangeMilliseconds != 0 { size += ProtobufWriter.int64Size(field: 7, rangeMilliseconds) }
        return size
    }

    func write(to writer: inout ProtobufWriter) {
        if stepMilliseconds != 0 { writer.writeInt64(field: 1, stepMilliseconds) }
        if !function.isEmpty { writer.writeString(field: 2, function) }
        if startMilliseconds != 0 { writer.writeInt64(field: 3, startMilliseconds) }
        if endMilliseconds != 0 { writer.writeInt64(field: 4, endMilliseconds) }
        for group in grouping { writer.writeString(field: 5, group) }
        if by {
            writer.writeTag(6, .varint)
            writer.writeVarint(1)
        }
        if rangeMilliseconds != 0 { writer.writeInt64(field: 7, rangeMilliseconds) }
    }

    init(reading reader: inout ProtobufReader) throws(ProtobufError) {
        self.init()
        while let (field, type) = try reader.readTag() {
            let start = reader.position
            switch field {
            case 1, 3, 4, 6, 7:
                try reader.expect(type, .varint, field: field, at: start)
                let value = try reader.readVarint()
                switch field {
                case 1: stepMilliseconds = Int64(bitPattern: value)
                case 3: startMilliseconds = Int64(bitPattern: value)
                case 4: endMilliseconds = Int64(bitPattern: value)
                case 6: by = value != 0
                default: rangeMilliseconds = Int64(bitPattern: value)
                }
            case 2:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                function = try reader.readString()
            case 5:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                grouping.append(try reader.readString())
            default:
                try reader.skip(type, field: field)
            }
        }
    }
}

extension ReadResponse {
    /// The response as protobuf bytes; ``compressedBody()`` is what a `samples` response sends.
    public func serializedBytes() -> [UInt8] {
        var writer = ProtobufWriter()
        for result in results {
            var size = 0
            for series in result.timeseries { size += ProtobufWriter.lengthDelimitedSize(field: 1, payload: series.encodedSize) }
            writer.writeLengthPrefix(field: 1, length: size)
            for series in result.timeseries {
                writer.writeLengthPrefix(field: 1, length: series.encodedSize)
                series.write(to: &writer)
            }
        }
        return writer.bytes
    }

    /// The snappy-compressed body of a `samples` response.
    public func compressedBody() -> [UInt8] {
        Snappy.compress(serializedBytes())
    }

    /// Decodes protobuf bytes.
    ///
    /// - Throws: ``RemoteWriteError`` when the bytes are not a well-formed `ReadResponse`.
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(RemoteWriteError) {
        self.init(results: [])
        var reader = ProtobufReader(bytes)
        do {
            while let (field, type) = try reader.readTag() {
                let start = reader.position
                guard field == 1 else {
                    try reader.skip(type, field: field)
                    continue
                }
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                var inner = reader.subReader(try reader.readLengthDelimited())
                var result = QueryResult(timeseries: [])
                while let (innerField, innerType) = try inner.readTag() {
                    let innerStart = inner.position
                    guard innerField == 1 else {
                        try inner.skip(innerType, field: innerField)
                        continue
                    }
                    try inner.expect(innerType, .lengthDelimited, field: innerField, at: innerStart)
                    var seriesReader = inner.subReader(try inner.readLengthDelimited())
                    result.timeseries.append(try TimeSeries(reading: &seriesReader))
                }
                results.append(result)
            }
        } catch {
            throw RemoteWriteError(protobuf: error)
        }
    }
}
