import VigilModel
import Synchronization

/// One series in the head: its identity and, under its own lock, its chunks.
final class MemSeries: Sendable {
    let ref: SeriesRef
    let labels: Labels
    let hash: Int
    let state: Mutex<SeriesState>

    init(ref: SeriesRef, labels: Labels, hash: Int) {
        self.ref = ref
        self.labels = labels
        self.hash = hash
        self.state = Mutex(SeriesState())
    }
}

/// What appending a sample to a series will do.
enum AppendDisposition {
    /// Newer than every in-order sample.
    case inOrder
    /// Older, but inside the out-of-order window and not yet stored.
    case outOfOrder
    /// Already stored with the same value bits: ignore silently.
    case duplicate
}

/// The mutable part of a ``MemSeries``.
struct SeriesState: Sendable {
    /// Full in-order chunks, oldest first.
    var closed: ContiguousArray<XORChunk> = []
    /// The open in-order chunk.
    var head: XORAppender?
    /// The first timestamp the open chunk may not hold (the next chunk-range boundary).
    var headEnd: Int64 = .min
    /// Newest in-order timestamp, kept even after truncation drops the chunk holding it.
    var maxTime: Int64 = .min
    var lastValueBits: UInt64 = 0
    /// Out-of-order samples not yet encoded, unsorted (at most the OOO capacity).
    var oooBuffer: ContiguousArray<(timestamp: Int64, value: Double)> = []
    /// Out-of-order chunks, each sorted internally; they may overlap each other and in-order data.
    var oooChunks: ContiguousArray<XORChunk> = []
    /// Samples appenders have accepted for this series but not committed or rolled back.
    var pending = 0
    /// Set when truncation removed the series from the head; appenders must look it up again.
    var removed = false

    var isEmpty: Bool { closed.isEmpty && head == nil && oooBuffer.isEmpty && oooChunks.isEmpty }

    /// Chunks held: closed, open and out-of-order.
    var chunkCount: Int { closed.count + oooChunks.count + (head == nil ? 0 : 1) }

    /// Samples held, in chunks and in the out-of-order buffer.
    var sampleCount: Int {
        closed.reduce(0) { $0 + $1.count } + oooChunks.reduce(0) { $0 + $1.count } + (head?.count ?? 0) + oooBuffer.count
    }

    /// Oldest timestamp held, or `Int64.max`.
    var minTime: Int64 {
        var result = closed.first?.minTime ?? head?.minTime ?? .max
        for chunk in oooChunks { result = Swift.min(result, chunk.minTime) }
        for sample in oooBuffer { result = Swift.min(result, sample.timestamp) }
        return result
    }

    /// Newest timestamp held (in order or not), or `Int64.min`.
    var newestTime: Int64 {
        var result = head?.maxTime ?? closed.last?.maxTime ?? .min
        for chunk in oooChunks { result = Swift.max(result, chunk.maxTime) }
        for sample in oooBuffer { result = Swift.max(result, sample.timestamp) }
        return result
    }

    /// Decides what appending `(timestamp, bits)` does, or throws why it is rejected.
    func check(_ timestamp: Int64, _ bits: UInt64, window: Int64, minValidTime: Int64) throws(TSDBError) -> AppendDisposition {
        if timestamp < minValidTime {
            throw TSDBError(.outOfBounds, "sample at \(timestamp) is older than the head's minimum valid time \(minValidTime)")
        }
        if maxTime == .min || timestamp > maxTime { return .inOrder }
        if timestamp == maxTime {
            if bits == lastValueBits { return .duplicate }
            throw TSDBError(.duplicateSampleForTimestamp, "duplicate sample for timestamp \(timestamp) with a different value")
        }
        if window <= 0 {
            throw TSDBError(.outOfOrder, "out-of-order sample at \(timestamp): series has samples up to \(maxTime)")
        }
        if timestamp < maxTime &- window {
            throw TSDBError(.outOfBounds, "sample at \(timestamp) is older than the out-of-order window (\(window) ms before \(maxTime))")
        }
        if let existing = valueBits(at: timestamp) {
            if existing == bits { return .duplicate }
            throw TSDBError(.duplicateSampleForTimestamp, "duplicate sample for timestamp \(timestamp) with a different value")
        }
        return .outOfOrder
    }

    /// The bits stored at exactly `timestamp`, searching every chunk (used for out-of-order samples only).
    func valueBits(at timestamp: Int64) -> UInt64? {
        for sample in oooBuffer where sample.timestamp == timestamp { return sample.value.bitPattern }
        func find(in chunk: XORChunk) -> UInt64? {
            guard chunk.minTime <= timestamp && timestamp <= chunk.maxTime else { return nil }
            var iterator = chunk.makeIterator()
            guard iterator.seek(to: timestamp), iterator.timestamp == timestamp else { return nil }
            return iterator.value.bitPattern
        }
        for chunk in oooChunks { if let bits = find(in: chunk) { return bits } }
        if let head, let bits = find(in: head.chunk) { return bits }
        // Closed chunks are sorted and disjoint: binary search by time.
        var low = 0
        var high = closed.count
        while low < high {
            let mid = (low + high) / 2
            if closed[mid].maxTime < timestamp { low = mid + 1 } else { high = mid }
        }
        if low < closed.count { return find(in: closed[low]) }
        return nil
    }

    /// Appends after a successful ``check``; returns how many chunks were created (0 or 1).
    @inline(__always)
    mutating func appendInOrder(_ timestamp: Int64, _ value: Double, chunkRange: Int64, samplesPerChunk: Int) -> Int {
        var created = 0
        if head == nil || head!.count >= samplesPerChunk || timestamp >= headEnd {
            if let full = head { closed.append(full.closedChunk) }
            head = XORAppender()
            headEnd = SeriesState.rangeEnd(after: timestamp, chunkRange)
            created = 1
        }
        head!.append(timestamp, value)
        maxTime = timestamp
        lastValueBits = value.bitPattern
        return created
    }

    /// Buffers an out-of-order sample; returns how many chunks were created (0 or 1).
    mutating func appendOutOfOrder(_ timestamp: Int64, _ value: Double, capacity: Int) -> Int {
        oooBuffer.append((timestamp, value))
        guard oooBuffer.count >= capacity else { return 0 }
        oooChunks.append(flushedOutOfOrderBuffer())
        oooBuffer.removeAll(keepingCapacity: true)
        return 1
    }

    /// The out-of-order buffer encoded as one sorted chunk.
    func flushedOutOfOrderBuffer() -> XORChunk {
        XORChunk(samples: oooBuffer.sorted { $0.timestamp < $1.timestamp })
    }

    /// The first multiple of `range` strictly after `timestamp` (floor division for negatives).
    static func rangeEnd(after timestamp: Int64, _ range: Int64) -> Int64 {
        guard range > 0 else { return .max }
        var start = timestamp / range * range
        if start > timestamp { start -= range }
        let (end, overflow) = start.addingReportingOverflow(range)
        return overflow ? .max : end
    }

    /// The chunks overlapping `[mint, maxt]`, in-order first, then out-of-order (buffer encoded).
    /// Whether a sample lies in `[mint, maxt]`, when the time bounds alone tell; nil when the
    /// range cuts into the samples (a gap may fall there) or out-of-order data is held.
    func hasSamples(mint: Int64, maxt: Int64) -> Bool? {
        guard oooBuffer.isEmpty && oooChunks.isEmpty else { return nil }
        let first = closed.first?.minTime ?? head?.minTime ?? .max
        let last = head.map { $0.count > 0 ? $0.maxTime : (closed.last?.maxTime ?? .min) } ?? closed.last?.maxTime ?? .min
        if first > last { return false }
        if last < mint || first > maxt { return false }
        if first >= mint && last <= maxt { return true }
        return nil
    }

    func chunks(mint: Int64, maxt: Int64) -> (inOrder: [XORChunk], outOfOrder: [XORChunk]) {
        var inOrder: [XORChunk] = []
        for chunk in closed where chunk.overlaps(mint: mint, maxt: maxt) { inOrder.append(chunk) }
        if let head {
            let chunk = head.chunk
            if chunk.overlaps(mint: mint, maxt: maxt) { inOrder.append(chunk) }
        }
        var outOfOrder: [XORChunk] = []
        for chunk in oooChunks where chunk.overlaps(mint: mint, maxt: maxt) { outOfOrder.append(chunk) }
        if !oooBuffer.isEmpty {
            let chunk = flushedOutOfOrderBuffer()
            if chunk.overlaps(mint: mint, maxt: maxt) { outOfOrder.append(chunk) }
        }
        return (inOrder, outOfOrder)
    }
}
