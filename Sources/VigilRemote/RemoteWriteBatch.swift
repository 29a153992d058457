public import VigilModel

/// The decoded content of one remote write request, as flat arrays: what ``RemoteWriteDecoder`` fills.
///
/// Series `i` has labels `series[i]` and its samples at `sampleRange(i)` in ``timestamps`` and
/// ``values``. Reuse one batch per connection or worker: ``removeAll()`` keeps the capacity.
/// A value type; not shared between threads while being filled.
public struct RemoteWriteBatch: Sendable {
    /// An exemplar with the index of the series it belongs to.
    public struct SeriesExemplar: Sendable, Hashable {
        /// The index into ``RemoteWriteBatch/series``.
        public var seriesIndex: Int
        /// The exemplar's labels (such as `trace_id`), sorted, empty values dropped.
        public var labels: Labels
        /// The exemplar's value.
        public var value: Double
        /// Milliseconds since the Unix epoch.
        public var timestamp: Timestamp

        /// Creates an exemplar reference.
        public init(seriesIndex: Int, labels: Labels, value: Double, timestamp: Timestamp) {
            self.seriesIndex = seriesIndex
            self.labels = labels
            self.value = value
            self.timestamp = timestamp
        }
    }

    /// The valid series' labels, in request order (invalid series skipped under ``RemoteWriteDecoder/InvalidSeriesPolicy/skip``).
    public internal(set) var series: ContiguousArray<Labels> = []
    /// Sample timestamps in milliseconds, series after series.
    public internal(set) var timestamps: ContiguousArray<Timestamp> = []
    /// Sample values, parallel to ``timestamps``.
    public internal(set) var values: ContiguousArray<Double> = []
    /// How many native histogram samples each series carried (decoded no further).
    public internal(set) var histogramCounts: ContiguousArray<Int> = []
    /// Exemplars of the valid series.
    public internal(set) var exemplars: [SeriesExemplar] = []
    /// Metric metadata entries.
    public internal(set) var metadata: [MetricMetadata] = []
    /// Series dropped for invalid labels (only under the `skip` policy).
    public internal(set) var invalidSeriesCount = 0
    /// Float and histogram samples of the dropped series.
    public internal(set) var invalidSampleCount = 0
    /// The first reason a series was dropped, for the log line.
    public internal(set) var firstInvalidSeriesError: RemoteWriteError?

    @usableFromInline
    internal var sampleEnds: ContiguousArray<Int> = []

    // Scratch space reused across requests.
    var rawLabels: ContiguousArray<RawLabel> = []
    var previousLabels: ContiguousArray<InternedLabel> = []
    var pendingExemplars: ContiguousArray<Range<Int>> = []
    var builder = LabelsBuilder()
    var cache: SeriesCache

    /// Creates an empty batch.
    ///
    /// - Parameter seriesCacheCapacity: how many distinct series' labels the batch remembers across
    ///   requests, so a series seen before is neither re-validated nor rebuilt (0 turns this off).
    public init(seriesCacheCapacity: Int = 1 << 16) {
        cache = SeriesCache(capacity: seriesCacheCapacity)
    }


    /// The positions of series `index`'s samples in ``timestamps`` and ``values``.
    @inlinable
    public func sampleRange(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : sampleEnds[index - 1])..<sampleEnds[index]
    }

    /// The number of float samples over all valid series.
    public var sampleCount: Int { timestamps.count }

    /// The number of native histogram samples over all valid series.
    public var histogramCount: Int { histogramCounts.reduce(0, +) }

    /// Empties the batch, keeping every array's capacity (and the series cache).
    public mutating func removeAll() {
        series.removeAll(keepingCapacity: true)
        timestamps.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        histogramCounts.removeAll(keepingCapacity: true)
        exemplars.removeAll(keepingCapacity: true)
        metadata.removeAll(keepingCapacity: true)
        sampleEnds.removeAll(keepingCapacity: true)
        invalidSeriesCount = 0
        invalidSampleCount = 0
        firstInvalidSeriesError = nil
        previousLabels.removeAll(keepingCapacity: true)
    }
}

/// Where one label's name and value lie in the decoded body.
struct RawLabel {
    var nameStart: Int
    var nameCount: Int
    var valueStart: Int
    var valueCount: Int
}

/// A label of the previous series with its strings, reused when the next series repeats the bytes.
struct InternedLabel {
    var raw: RawLabel
    var name: String
    var value: String
}
