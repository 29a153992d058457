public import VigilModel

/// Writes historical samples straight into blocks (`vigil import`), the way `promtool tsdb
/// create-blocks-from` backfills: no WAL, no head, one block per block range the data touches.
///
/// Blocks are written atomically beside a store's others; a running server loads them on its next
/// maintenance pass and compaction merges any that overlap.
public struct BlockImporter {
    /// Samples per series, in any order; added with ``add(_:timestamp:value:)``.
    private var series: [Labels: [(timestamp: Int64, value: Double)]] = [:]
    /// Samples dropped because the same series already had a sample at that timestamp.
    public private(set) var duplicates = 0

    /// An empty importer.
    public init() {}

    /// Buffers one sample.
    public mutating func add(_ labels: Labels, timestamp: Int64, value: Double) {
        series[labels, default: []].append((timestamp, value))
    }

    /// Samples buffered so far.
    public var sampleCount: Int { series.values.reduce(0) { $0 + $1.count } }

    /// Writes the buffered samples into `directory` as blocks aligned to `blockRange` (2h by
    /// default), 120 samples per chunk; returns the new blocks' metadata.
    public mutating func write(into directory: String, blockRange: Int64 = 7_200_000, samplesPerChunk: Int = 120) throws(TSDBError) -> [BlockMeta] {
        var byRange: [Int64: [(labels: Labels, chunks: [XORChunk])]] = [:]
        for labels in series.keys.sorted() {
            var samples = series[labels]!.sorted { $0.timestamp < $1.timestamp }
            var unique: [(timestamp: Int64, value: Double)] = []
            unique.reserveCapacity(samples.count)
            for sample in samples {
                if let last = unique.last, last.timestamp == sample.timestamp {
                    duplicates += 1
                    continue
                }
                unique.append(sample)
            }
            samples = unique
            var start = 0
            while start < samples.count {
                let rangeStart = samples[start].timestamp - ((samples[start].timestamp % blockRange) + blockRange) % blockRange
                var end = start
                while end < samples.count && samples[end].timestamp < rangeStart + blockRange { end += 1 }
                var chunks: [XORChunk] = []
                var chunkStart = start
                while chunkStart < end {
                    let chunkEnd = min(chunkStart + samplesPerChunk, end)
                    chunks.append(XORChunk(samples: samples[chunkStart..<chunkEnd]))
                    chunkStart = chunkEnd
                }
                byRange[rangeStart, default: []].append((labels, chunks))
                start = end
            }
        }
        var metas: [BlockMeta] = []
        for rangeStart in byRange.keys.sorted() {
            metas.append(try BlockWriter.write(
                directory: directory, mint: rangeStart, maxt: rangeStart + blockRange, series: byRange[rangeStart]!
            ))
        }
        series = [:]
        return metas
    }
}
