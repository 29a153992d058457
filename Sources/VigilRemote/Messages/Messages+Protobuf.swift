import VigilModel

// Field numbers and wire types follow prompb/types.proto and prompb/remote.proto. Scalars equal to
// their proto3 default are not written, as Go's generated code does, so our bytes match the peers'.

extension WriteRequest {
    /// The request as protobuf bytes (not yet snappy-compressed).
    public func serializedBytes() -> [UInt8] {
        var size = 0
        for series in timeseries { size += ProtobufWriter.lengthDelimitedSize(field: 1, payload: series.encodedSize) }
        for entry in metadata { size += ProtobufWriter.lengthDelimitedSize(field: 3, payload: entry.encodedSize) }
        var writer = ProtobufWriter(capacity: size)
        for series in timeseries {
            writer.writeLengthPrefix(field: 1, length: series.encodedSize)
            series.write(to: &writer)
        }
        for entry in metadata {
            writer.writeLengthPrefix(field: 3, length: entry.encodedSize)
            entry.write(to: &writer)
        }
        return writer.bytes
    }

    /// The request as a snappy-compressed body, ready to POST.
    public func compressedBody() -> [UInt8] {
        Snappy.compress(serializedBytes())
    }

    /// Decodes protobuf bytes without validating labels; unknown fields are skipped.
    ///
    /// - Throws: ``RemoteWriteError`` when the bytes are not a well-formed `WriteRequest`.
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(RemoteWriteError) {
        do {
            var reader = ProtobufReader(bytes)
            self = try WriteRequest(reading: &reader)
        } catch {
            throw RemoteWriteError(protobuf: error)
        }
    }

    init(reading reader: inout ProtobufReader) throws(ProtobufError) {
        self.init()
        while let (field, type) = try reader.readTag() {
            let start = reader.position
            switch field {
            case 1:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                var inner = reader.subReader(try reader.readLengthDelimited())
                timeseries.append(try TimeSeries(reading: &inner))
            case 3:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                var inner = reader.subReader(try reader.readLengthDelimited())
                metadata.append(try MetricMetadata(reading: &inner))
            default:
                try reader.skip(type, field: field)
            }
        }
    }
}

extension TimeSeries {
    var encodedSize: Int {
        var size = 0
        for label in labels { size += ProtobufWriter.lengthDelimitedSize(field: 1, payload: label.encodedSize) }
        for sample in samples { size += ProtobufWriter.lengthDelimitedSize(field: 2, payload: sample.encodedSize) }
        for exemplar in exemplars { size += ProtobufWriter.lengthDelimitedSize(field: 3, payload: exemplar.encodedSize) }
        for histogram in encodedHistograms { size += ProtobufWriter.lengthDelimitedSize(field: 4, payload: histogram.count) }
        return size
    }

    func write(to writer: inout ProtobufWriter) {
        for label in labels {
            writer.writeLengthPrefix(field: 1, length: label.encodedSize)
            label.write(to: &writer)
        }
        for sample in samples {
            writer.writeLengthPrefix(field: 2, length: sample.encodedSize)
            sample.write(to: &writer)
        }
        for exemplar in exemplars {
            writer.writeLengthPrefix(field: 3, length: exemplar.encodedSize)
            exemplar.write(to: &writer)
        }
        for histogram in encodedHistograms { writer.writeBytes(field: 4, histogram) }
    }

    init(reading reader: inout ProtobufReader) throws(ProtobufError) {
        self.init(labels: [])
        while let (field, type) = try reader.readTag() {
            let start = reader.position
            switch field {
            case 1:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                var inner = reader.subReader(try reader.readLengthDelimited())
                labels.append(try Label(reading: &inner))
            case 2:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                var inner = reader.subReader(try reader.readLengthDelimited())
                samples.append(try Sample(reading: &inner))
            case 3:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                var inner = reader.subReader(try reader.readLengthDelimited())
                exemplars.append(try Exemplar(reading: &inner))
            case 4:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                encodedHistograms.append(Array(reader.bytes(try reader.readLengthDelimited())))
            default:
                try reader.skip(type, field: field)
            }
        }
    }
}

extension Label {
    var encodedSize: Int {
        (name.isEmpty ? 0 : ProtobufWriter.stringSize(field: 1, name))
            + (value.isEmpty ? 0 : ProtobufWriter.stringSize(field: 2, value))
    }

    func write(to writer: inout ProtobufWriter) {
        if !name.isEmpty { writer.writeString(field: 1, name) }
        if !value.isEmpty { writer.writeString(field: 2, value) }
    }

    init(reading reader: inout ProtobufReader) throws(ProtobufError) {
        self.init(name: "", value: "")
        while let (field, type) = try reader.readTag() {
            let start = reader.position
            switch field {
            case 1:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                name = try reader.readString()
            case 2:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                value = try reader.readString()
            default:
                try reader.skip(type, field: field)
            }
        }
    }
}

extension TimeSeries.Sample {
    var encodedSize: Int {
        (value.bitPattern == 0 ? 0 : 9) + (timestamp == 0 ? 0 : ProtobufWriter.int64Size(field: 2, timestamp))
    }

    func write(to writer: inout ProtobufWriter) {
        if value.bitPattern != 0 { writer.writeDouble(field: 1, value) }
        if timestamp != 0 { writer.writeInt64(field: 2, timestamp) }
    }

    init(reading reader: inout ProtobufReader) throws(ProtobufError) {
        self.init(value: 0, timestamp: 0)
        while let (field, type) = try reader.readTag() {
            let start = reader.position
            switch field {
            case 1:
                try reader.expect(type, .fixed64, field: field, at: start)
                value = try reader.readDouble()
            case 2:
                try reader.expect(type, .varint, field: field, at: start)
                timestamp = try reader.readInt64()
            default:
                try reader.skip(type, field: field)
            }
        }
    }
}

extension TimeSeries.Exemplar {
    var encodedSize: Int {
        var size = 0
        for label in labels { size += ProtobufWriter.lengthDelimitedSize(field: 1, payload: label.encodedSize) }
        if value.bitPattern != 0 { size += 9 }
        if timestamp != 0 { size += ProtobufWriter.int64Size(field: 3, timestamp) }
        return size
    }

    func write(to writer: inout ProtobufWriter) {
        for label in labels {
            writer.writeLengthPrefix(field: 1, length: label.encodedSize)
            label.write(to: &writer)
        }
        if value.bitPattern != 0 { writer.writeDouble(field: 2, value) }
        if timestamp != 0 { writer.writeInt64(field: 3, timestamp) }
    }

    init(reading reader: inout ProtobufReader) throws(ProtobufError) {
        self.init(labels: [], value: 0, timestamp: 0)
        while let (field, type) = try reader.readTag() {
            let start = reader.position
            switch field {
            case 1:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                var inner = reader.subReader(try reader.readLengthDelimited())
                labels.append(try Label(reading: &inner))
            case 2:
                try reader.expect(type, .fixed64, field: field, at: start)
                value = try reader.readDouble()
            case 3:
                try reader.expect(type, .varint, field: field, at: start)
                timestamp = try reader.readInt64()
            default:
                try reader.skip(type, field: field)
            }
        }
    }
}

extension MetricMetadata {
    var encodedSize: Int {
        (wireType == 0 ? 0 : ProtobufWriter.tagSize(1) + ProtobufWriter.varintSize(wireType))
            + (metricFamilyName.isEmpty ? 0 : ProtobufWriter.stringSize(field: 2, metricFamilyName))
            + (help.isEmpty ? 0 : ProtobufWriter.stringSize(field: 4, help))
            + (unit.isEmpty ? 0 : ProtobufWriter.stringSize(field: 5, unit))
    }

    func write(to writer: inout ProtobufWriter) {
        if wireType != 0 {
            writer.writeTag(1, .varint)
            writer.writeVarint(wireType)
        }
        if !metricFamilyName.isEmpty { writer.writeString(field: 2, metricFamilyName) }
        if !help.isEmpty { writer.writeString(field: 4, help) }
        if !unit.isEmpty { writer.writeString(field: 5, unit) }
    }

    init(reading reader: inout ProtobufReader) throws(ProtobufError) {
        self.init(type: .unknown, metricFamilyName: "")
        while let (field, type) = try reader.readTag() {
            let start = reader.position
            switch field {
            case 1:
                try reader.expect(type, .varint, field: field, at: start)
                self.type = MetricMetadata.type(wire: try reader.readVarint())
            case 2:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                metricFamilyName = try reader.readString()
            case 4:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                help = try reader.readString()
            case 5:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                unit = try reader.readString()
            default:
                try reader.skip(type, field: field)
            }
        }
    }
}
