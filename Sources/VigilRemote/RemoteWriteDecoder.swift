import VigilModel

/// Decodes remote write 1.0 bodies on the receiver's hot path and validates labels as Prometheus does.
///
/// Labels are checked the way Prometheus's write handler checks them (`labels.IsValid` plus
/// `HasDuplicateLabelNames`): a `__name__` label must be present and be a valid metric name, every
/// name must be valid, every value valid UTF-8, and no name may repeat. Like Prometheus, labels a
/// sender did not sort are sorted rather than rejected unless ``Options/requireSortedLabels`` is set.
/// Immutable and `Sendable`; all per-request state lives in the caller's ``RemoteWriteBatch``.
public struct RemoteWriteDecoder: Sendable {
    /// What to do with a series whose labels are invalid.
    public enum InvalidSeriesPolicy: Sendable, Hashable {
        /// Reject the whole request with the series' ``RemoteWriteError`` (answer 400).
        case reject
        /// Drop the series, count it in the batch and keep the rest (Prometheus's own 1.0 receiver
        /// logs a warning, counts and answers 204).
        case skip
    }

    /// Which label names are valid.
    public enum NameValidation: Sendable, Hashable {
        /// `[a-zA-Z_][a-zA-Z0-9_]*`, and `[a-zA-Z_:][a-zA-Z0-9_:]*` for metric names (Prometheus 2.x).
        case legacy
        /// Any non-empty UTF-8 (Prometheus 3.x's default).
        case utf8
    }

    /// Decoder settings.
    public struct Options: Sendable, Hashable {
        /// Largest uncompressed body accepted, in bytes; checked before anything is allocated.
        public var maxDecodedLength: Int
        /// Whether a series without `__name__` is invalid (current Prometheus write handlers check this; 2.42 did not).
        public var requireMetricName: Bool
        /// Whether unsorted labels are an error instead of being sorted.
        public var requireSortedLabels: Bool
        /// The label name rule.
        public var nameValidation: NameValidation
        /// Reject the request or skip the series.
        public var invalidSeries: InvalidSeriesPolicy

        /// Creates options; the defaults reject invalid series with a 400 and use Prometheus 2.x's names.
        public init(
            maxDecodedLength: Int = 32 << 20, requireMetricName: Bool = true, requireSortedLabels: Bool = false,
            nameValidation: NameValidation = .legacy, invalidSeries: InvalidSeriesPolicy = .reject
        ) {
            self.maxDecodedLength = maxDecodedLength
            self.requireMetricName = requireMetricName
            self.requireSortedLabels = requireSortedLabels
            self.nameValidation = nameValidation
            self.invalidSeries = invalidSeries
        }
    }

    /// The settings in use.
    public let options: Options

    /// Creates a decoder.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Decompresses a snappy body and decodes it into `batch`, replacing its contents.
    ///
    /// - Throws: ``RemoteWriteError`` for bad snappy, malformed protobuf or (under `reject`) invalid labels.
    public func decode(compressedBody: UnsafeRawBufferPointer, into batch: inout RemoteWriteBatch) throws(RemoteWriteError) {
        let decoded: [UInt8]
        do throws(SnappyError) {
            decoded = try Snappy.decompress(compressedBody, maxDecodedLength: options.maxDecodedLength)
        } catch {
            throw RemoteWriteError(snappy: error)
        }
        var failure: RemoteWriteError? = nil
        decoded.withUnsafeBytes { body in
            do throws(RemoteWriteError) {
                try decode(body: body, into: &batch)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Decodes an uncompressed `WriteRequest` into `batch`, replacing its contents.
    ///
    /// Unknown fields of every wire type are skipped. The batch owns copies of all strings; `body`
    /// need only live for the call.
    /// - Throws: ``RemoteWriteError`` for malformed protobuf or (under `reject`) invalid labels.
    public func decode(body: UnsafeRawBufferPointer, into batch: inout RemoteWriteBatch) throws(RemoteWriteError) {
        batch.removeAll()
        var reader = ProtobufReader(body)
        var seriesIndex = 0
        do {
            while let (field, type) = try reader.readTag() {
                let start = reader.position
                switch field {
                case 1:
                    try reader.expect(type, .lengthDelimited, field: field, at: start)
                    let range = try reader.readLengthDelimited()
                    try decodeSeries(reader.subReader(range), index: seriesIndex, into: &batch)
                    seriesIndex += 1
                case 3:
                    try reader.expect(type, .lengthDelimited, field: field, at: start)
                    var inner = reader.subReader(try reader.readLengthDelimited())
                    batch.metadata.append(try MetricMetadata(reading: &inner))
                default:
                    try reader.skip(type, field: field)
                }
            }
        } catch let error as ProtobufError {
            throw RemoteWriteError(protobuf: error, seriesIndex: seriesIndex)
        } catch let error as RemoteWriteError {
            throw error
        } catch {
            fatalError("unreachable: \(error)")
        }
    }

    /// Decodes one `TimeSeries`, appending its samples, then validates and interns its labels.
    private func decodeSeries(_ series: ProtobufReader, index: Int, into batch: inout RemoteWriteBatch) throws {
        var reader = series
        batch.rawLabels.removeAll(keepingCapacity: true)
        batch.pendingExemplars.removeAll(keepingCapacity: true)
        let firstSample = batch.timestamps.count
        var histograms = 0
        // The labels' wire bytes key the series cache when no other field interleaves them.
        var labelsStart = -1
        var labelsEnd = -1
        var labelsContiguous = true
        while true {
            let tagStart = reader.position
            guard let (field, type) = try reader.readTag() else { break }
            let start = reader.position
            switch field {
            case 1:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                if labelsStart < 0 { labelsStart = tagStart } else if labelsEnd != tagStart { labelsContiguous = false }
                batch.rawLabels.append(try readLabel(reader.subReader(try reader.readLengthDelimited())))
                labelsEnd = reader.position
            case 2:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                var sample = reader.subReader(try reader.readLengthDelimited())
                var value = 0.0
                var timestamp: Int64 = 0
                while let (sampleField, sampleType) = try sample.readTag() {
                    if sampleField == 1 && sampleType == .fixed64 {
                        value = try sample.readDouble()
                    } else if sampleField == 2 && sampleType == .varint {
                        timestamp = try sample.readInt64()
                    } else if sampleField == 1 || sampleField == 2 {
                        throw sample.error(.wrongWireType(field: sampleField, sampleType))
                    } else {
                        try sample.skip(sampleType, field: sampleField)
                    }
                }
                batch.timestamps.append(timestamp)
                batch.values.append(value)
            case 3:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                batch.pendingExemplars.append(try reader.readLengthDelimited())
            case 4:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                _ = try reader.readLengthDelimited()
                histograms += 1
            default:
                try reader.skip(type, field: field)
            }
        }

        var key = UnsafeRawBufferPointer(start: nil, count: 0)
        var hash: UInt64 = 0
        let cacheable = labelsContiguous && labelsStart >= 0 && batch.cache.capacity > 0
        if cacheable {
            key = reader.bytes(labelsStart..<labelsEnd)
            hash = SeriesCache.hash(key)
        }
        var labels: Labels
        do throws(RemoteWriteError) {
            if cacheable, let cached = batch.cache.lookup(key, hash: hash) {
                labels = cached
            } else {
                labels = try buildLabels(reader, index: index, batch: &batch)
                if cacheable { batch.cache.insert(key, hash: hash, labels: labels) }
            }
        } catch {
            guard options.invalidSeries == .skip else { throw error }
            batch.invalidSeriesCount += 1
            batch.invalidSampleCount += batch.timestamps.count - firstSample + histograms
            if batch.firstInvalidSeriesError == nil { batch.firstInvalidSeriesError = error }
            batch.timestamps.removeSubrange(firstSample...)
            batch.values.removeSubrange(firstSample...)
            return
        }
        let seriesIndex = batch.series.count
        batch.series.append(labels)
        batch.sampleEnds.append(batch.timestamps.count)
        batch.histogramCounts.append(histograms)
        for range in batch.pendingExemplars {
            var inner = reader.subReader(range)
            let exemplar = try TimeSeries.Exemplar(reading: &inner)
            batch.builder.reset()
            for label in exemplar.labels { batch.builder.set(label.name, label.value) }
            batch.exemplars.append(.init(
                seriesIndex: seriesIndex, labels: batch.builder.build(), value: exemplar.value, timestamp: exemplar.timestamp))
        }
    }

    @inline(__always)
    private func readLabel(_ label: ProtobufReader) throws(ProtobufError) -> RawLabel {
        var reader = label
        var raw = RawLabel(nameStart: 0, nameCount: 0, valueStart: 0, valueCount: 0)
        while let (field, type) = try reader.readTag() {
            let start = reader.position
            switch field {
            case 1:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                let range = try reader.readLengthDelimited()
                raw.nameStart = range.lowerBound
                raw.nameCount = range.count
            case 2:
                try reader.expect(type, .lengthDelimited, field: field, at: start)
                let range = try reader.readLengthDelimited()
                raw.valueStart = range.lowerBound
                raw.valueCount = range.count
            default:
                try reader.skip(type, field: field)
            }
        }
        return raw
    }
}
