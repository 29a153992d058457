public import VigilModel
import Synchronization

extension Head {
    /// Every series with samples in `[mint, maxt]` (inclusive, ms) and its chunks for that range,
    /// sorted by labels: what the block writer persists.
    ///
    /// In-order chunks lying wholly inside the range are handed over unchanged. A series with
    /// out-of-order data, tombstones, or chunks crossing the range's edges is re-encoded from its
    /// merged samples into fresh chunks of at most `samplesPerChunk` samples.
    public func seriesForPersistence(mint: Int64, maxt: Int64) -> [(labels: Labels, chunks: [XORChunk])] {
        var result: [(labels: Labels, chunks: [XORChunk])] = []
        for series in allSeries() {
            let (inOrder, outOfOrder) = series.state.withLock { $0.chunks(mint: mint, maxt: maxt) }
            if inOrder.isEmpty && outOfOrder.isEmpty { continue }
            let deleted = deletedIntervals(series.ref).filter { $0.overlaps(mint...maxt) }
            let passThrough = outOfOrder.isEmpty && deleted.isEmpty
                && inOrder.allSatisfy { $0.minTime >= mint && $0.maxTime <= maxt }
            if passThrough {
                result.append((series.labels, inOrder))
                continue
            }
            guard let stored = storedSeries(series, mint: mint, maxt: maxt) else { continue }
            var chunks: [XORChunk] = []
            var appender = XORAppender()
            var iterator = stored.makeIterator()
            while iterator.next() {
                if appender.count >= options.samplesPerChunk {
                    chunks.append(appender.chunk)
                    appender = XORAppender()
                }
                appender.append(iterator.timestamp, iterator.value)
            }
            if appender.count > 0 { chunks.append(appender.chunk) }
            result.append((series.labels, chunks))
        }
        result.sort { $0.labels < $1.labels }
        return result
    }
}
