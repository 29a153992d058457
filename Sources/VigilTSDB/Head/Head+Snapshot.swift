import Dispatch
import VigilModel
import Synchronization

/// What writing or loading a head snapshot covered.
public struct HeadSnapshotInfo: Sendable, Equatable {
    /// The WAL segment the snapshot continues from: replay starts there.
    public var segment = 0
    /// Series written or restored.
    public var series = 0
    /// Chunks written or restored (in-order and out-of-order).
    public var chunks = 0
    /// Samples in those chunks and out-of-order buffers.
    public var samples = 0
    /// Size of the snapshot file.
    public var bytes: Int64 = 0
    /// Time spent writing or loading it.
    public var duration: Duration = .zero

    /// An empty record.
    public init() {}
}

/// One series as read from a snapshot, before it is created in the head.
struct SnapshotSeries {
    var ref: SeriesRef
    var labels: [Label]
    var state: SeriesState
    var open: (chunk: XORChunk, resume: XORAppender.ResumeState)?
    /// Where its entry starts in the file, for errors.
    var offset: Int
}

/// The head snapshot file (docs/formats/head-snapshot.md): every series with its chunks, the
/// tombstones and replay aliases, taken at the start of a WAL segment.
enum HeadSnapshotFile {
    static let magic: [UInt8] = Array("VGHSNAP1".utf8)
    static let trailerMagic: [UInt8] = Array("VGHSEND1".utf8)
    static let version: UInt64 = 1
    static let tagEnd: UInt8 = 0
    static let tagSeries: UInt8 = 1
    static let tagTombstones: UInt8 = 2
    static let tagAlias: UInt8 = 3

    static func appendChunk(_ chunk: XORChunk, to buffer: inout [UInt8]) {
        WALRecordCodec.appendVarint(chunk.minTime, to: &buffer)
        WALRecordCodec.appendVarint(chunk.maxTime, to: &buffer)
        WALRecordCodec.appendUVarint(UInt64(chunk.bytes.count), to: &buffer)
        buffer.append(contentsOf: chunk.bytes)
    }

    static func readChunk(_ reader: inout ByteReader) throws(WALRecordCodec.DecodeError) -> XORChunk {
        let minTime = try reader.varint()
        let maxTime = try reader.varint()
        let length = try reader.uvarint()
        guard length >= 2, length <= UInt64(reader.remaining) else {
            throw WALRecordCodec.DecodeError(offset: reader.absoluteOffset, reason: "chunk length \(length) does not fit")
        }
        let bytes = [UInt8](try reader.bytes(Int(length)))
        let chunk = XORChunk(bytes: bytes, minTime: minTime, maxTime: maxTime)
        guard chunk.count > 0, minTime <= maxTime else {
            throw WALRecordCodec.DecodeError(offset: reader.absoluteOffset, reason: "empty chunk or time range \(minTime)…\(maxTime)")
        }
        return chunk
    }
}

extension Head {
    /// Writes every series' chunks, the tombstones and the replay aliases to `path` (through
    /// `path.tmp`, fsynced, renamed, directory synced), tagged with `segment`: the WAL segment
    /// whose records a restart must replay on top of it.
    ///
    /// Series are read one at a time under their own locks while appends go on. A commit that
    /// lands after `segment` began may or may not be in the file; replay applies it again, and
    /// ``apply(_:)`` ignores samples the head already holds with the same value.
    func writeSnapshot(to path: String, segment: Int) throws(TSDBError) -> HeadSnapshotInfo {
        let clock = ContinuousClock()
        let started = clock.now
        var info = HeadSnapshotInfo()
        info.segment = segment
        let temporary = path + ".tmp"
        let file = try BlockOutputFile(path: temporary)
        var crc: UInt32 = 0
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        func flush(force: Bool = false) throws(TSDBError) {
            guard force || buffer.count >= 1 << 16 else { return }
            buffer.withUnsafeBytes { crc = CRC32C.update(crc, $0) }
            try file.append(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        try file.append(HeadSnapshotFile.magic)
        WALRecordCodec.appendUVarint(HeadSnapshotFile.version, to: &buffer)
        WALRecordCodec.appendUVarint(UInt64(segment), to: &buffer)
        WALRecordCodec.appendVarint(minValidTimeValue.load(ordering: .relaxed), to: &buffer)

        // Sorted on (ref, series) pairs: comparing the series' own refs read every object twice
        // per comparison, a cache miss each at a million series.
        var ordered = allSeries().map { (ref: $0.ref, series: $0) }
        ordered.sort { $0.ref < $1.ref }
        for (_, series) in ordered {
            // A copy of the state shares every chunk's bytes (the open one's are copied on its
            // next append): the series is locked only for the copy.
            let captured: SeriesState? = series.state.withLock { state in
                guard !state.removed, !state.isEmpty else { return nil }
                return state
            }
            guard let state = captured else { continue }
            let openChunk = state.head.flatMap { $0.count > 0 ? (chunk: $0.chunk, resume: $0.resumeState) : nil }
            buffer.append(HeadSnapshotFile.tagSeries)
            WALRecordCodec.appendUVarint(series.ref, to: &buffer)
            WALRecordCodec.appendLabels(series.labels, to: &buffer)
            WALRecordCodec.appendVarint(state.maxTime, to: &buffer)
            WALRecordCodec.appendUInt64(state.lastValueBits, to: &buffer)
            WALRecordCodec.appendVarint(state.headEnd, to: &buffer)
            WALRecordCodec.appendUVarint(UInt64(state.closed.count), to: &buffer)
            for chunk in state.closed { HeadSnapshotFile.appendChunk(chunk, to: &buffer) }
            if let openChunk {
                buffer.append(1)
                HeadSnapshotFile.appendChunk(openChunk.chunk, to: &buffer)
                WALRecordCodec.appendUVarint(openChunk.resume.lastDelta, to: &buffer)
                buffer.append(contentsOf: [openChunk.resume.leading, openChunk.resume.trailing, openChunk.resume.freeBits])
            } else {
                buffer.append(0)
            }
            WALRecordCodec.appendUVarint(UInt64(state.oooChunks.count), to: &buffer)
            for chunk in state.oooChunks { HeadSnapshotFile.appendChunk(chunk, to: &buffer) }
            WALRecordCodec.appendUVarint(UInt64(state.oooBuffer.count), to: &buffer)
            for sample in state.oooBuffer {
                WALRecordCodec.appendVarint(sample.timestamp, to: &buffer)
                WALRecordCodec.appendUInt64(sample.value.bitPattern, to: &buffer)
            }
            info.series += 1
            info.chunks += state.chunkCount
            info.samples += state.sampleCount
            try flush()
        }
        for (ref, intervals) in tombstones.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            buffer.append(HeadSnapshotFile.tagTombstones)
            WALRecordCodec.appendUVarint(ref, to: &buffer)
            WALRecordCodec.appendUVarint(UInt64(intervals.count), to: &buffer)
            for interval in intervals {
                WALRecordCodec.appendVarint(interval.lowerBound, to: &buffer)
                WALRecordCodec.appendVarint(interval.upperBound, to: &buffer)
            }
            try flush()
        }
        for (alias, target) in replayAliases.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            buffer.append(HeadSnapshotFile.tagAlias)
            WALRecordCodec.appendUVarint(alias, to: &buffer)
            WALRecordCodec.appendUVarint(target, to: &buffer)
        }
        buffer.append(HeadSnapshotFile.tagEnd)
        try flush(force: true)
        var trailer = [UInt8](repeating: 0, count: 4)
        WALRecordCodec.putUInt32(crc, into: &trailer, at: 0)
        trailer.append(contentsOf: HeadSnapshotFile.trailerMagic)
        try file.append(trailer)
        info.bytes = Int64(file.offset)
        try file.finish()
        try BlockFileSystem.rename(temporary, path)
        if let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) {
            try BlockFileSystem.syncDirectory(String(path[..<slash]))
        }
        info.duration = clock.now - started
        return info
    }

    /// Reads the segment a snapshot file continues from, checking only its header.
    static func snapshotSegment(at path: String) throws(TSDBError) -> Int {
        let mapped = try BlockMappedFile(path: path)
        let bytes = mapped.bytes
        let fixed = HeadSnapshotFile.magic.count
        guard bytes.count >= fixed + 4 + HeadSnapshotFile.trailerMagic.count,
              bytes.prefix(fixed).elementsEqual(HeadSnapshotFile.magic) else {
            throw TSDBError(.corruption, "head snapshot \(path): not a head snapshot (bad magic or too short)")
        }
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[fixed...]), base: fixed)
        do throws(WALRecordCodec.DecodeError) {
            _ = try reader.uvarint()
            let segment = try reader.uvarint()
            guard segment <= UInt64(Int.max) else { throw WALRecordCodec.DecodeError(offset: fixed, reason: "segment out of range") }
            return Int(segment)
        } catch {
            throw TSDBError(.corruption, "head snapshot \(path): byte \(error.offset): \(error.reason)")
        }
    }

    /// Creates the parsed series (on every core when there are many: label sets, series maps and
    /// the open chunks' appenders are most of a snapshot's load time), hands them their chunks,
    /// then indexes them in ref order on one thread.
    private func restore(_ entries: [SnapshotSeries]) throws(WALRecordCodec.DecodeError) -> (chunks: Int, samples: Int) {
        struct Totals {
            var chunks = 0
            var samples = 0
            var low = Int64.max
            var high = Int64.min
            var failure: WALRecordCodec.DecodeError?
            var created: [MemSeries] = []
        }
        let workers = Swift.min(ParallelReplay.defaultWorkers, Swift.max(1, entries.count / 2048))
        let totals = Mutex(Totals())
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var local = Totals()
            let range = (entries.count * worker / workers)..<(entries.count * (worker + 1) / workers)
            for entry in entries[range] {
                var state = entry.state
                if let open = entry.open {
                    guard let appender = XORAppender(resuming: open.chunk, lastValueBits: state.lastValueBits, state: open.resume),
                          open.chunk.maxTime == state.maxTime else {
                        local.failure = local.failure ?? WALRecordCodec.DecodeError(
                            offset: entry.offset, reason: "open chunk of series \(entry.ref) cannot be continued")
                        break
                    }
                    state.head = appender
                }
                guard let (series, created) = try? getOrCreate(
                    labels: Labels(canonicalizing: entry.labels), ref: entry.ref, enforceLimit: false, index: false)
                else {
                    local.failure = local.failure ?? WALRecordCodec.DecodeError(offset: entry.offset, reason: "series \(entry.ref) has invalid labels")
                    break
                }
                if created {
                    local.created.append(series)
                } else if series.ref != entry.ref {
                    replayAliases.withLock { $0[entry.ref] = series.ref }
                }
                local.chunks += state.chunkCount
                local.samples += state.sampleCount
                local.low = Swift.min(local.low, state.minTime)
                local.high = Swift.max(local.high, state.newestTime)
                series.state.withLock { $0 = state }
            }
            totals.withLock { totals in
                totals.chunks += local.chunks
                totals.samples += local.samples
                totals.low = Swift.min(totals.low, local.low)
                totals.high = Swift.max(totals.high, local.high)
                if let failure = local.failure, totals.failure.map({ failure.offset < $0.offset }) ?? true { totals.failure = failure }
                totals.created.append(contentsOf: local.created)
            }
        }
        let result = totals.withLock { $0 }
        let created = result.created.sorted { $0.ref < $1.ref }
        postings.withLock { postings in
            for series in created { postings.add(series.ref, series.labels) }
        }
        if let failure = result.failure { throw failure }
        counters.chunks.wrappingAdd(result.chunks, ordering: .relaxed)
        if result.low <= result.high { extendTimeRange(low: result.low, high: result.high) }
        return (result.chunks, result.samples)
    }

    /// Restores the series, chunks, tombstones and aliases of the snapshot at `path` into this
    /// (empty) head, after checking the whole file's checksum. Throws `.corruption` naming the
    /// byte offset when the file is damaged; the head may then hold part of it and must be
    /// discarded.
    func loadSnapshot(from path: String) throws(TSDBError) -> HeadSnapshotInfo {
        let clock = ContinuousClock()
        let started = clock.now
        let mapped = try BlockMappedFile(path: path)
        let bytes = mapped.bytes
        let head = HeadSnapshotFile.magic.count
        let tail = 4 + HeadSnapshotFile.trailerMagic.count
        guard bytes.count >= head + tail,
              bytes.prefix(head).elementsEqual(HeadSnapshotFile.magic),
              bytes.suffix(HeadSnapshotFile.trailerMagic.count).elementsEqual(HeadSnapshotFile.trailerMagic) else {
            throw TSDBError(.corruption, "head snapshot \(path): bad magic or truncated (\(bytes.count) bytes)")
        }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[head..<(bytes.count - tail)])
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - tail, as: UInt32.self))
        guard CRC32C.update(0, payload) == stored else {
            throw TSDBError(.corruption, "head snapshot \(path): checksum mismatch over bytes \(head)…\(bytes.count - tail)")
        }
        var info = HeadSnapshotInfo()
        info.bytes = Int64(bytes.count)
        var reader = ByteReader(payload, base: head)
        do throws(WALRecordCodec.DecodeError) {
            let version = try reader.uvarint()
            guard version == HeadSnapshotFile.version else {
                throw WALRecordCodec.DecodeError(offset: head, reason: "unknown version \(version)")
            }
            info.segment = Int(truncatingIfNeeded: try reader.uvarint())
            _ = try reader.varint()  // minimum valid time when written; the blocks on disk decide now
            var labels: [Label] = []
            var entries: [SnapshotSeries] = []
            // One copy of each long label string for all the series loaded (the index, built
            // after the series, cannot share them as it does for series created one by one).
            var strings = Set<String>()
            loop: while true {
                let tagOffset = reader.absoluteOffset
                switch try reader.byte() {
                case HeadSnapshotFile.tagEnd:
                    break loop
                case HeadSnapshotFile.tagSeries:
                    let ref = try reader.uvarint()
                    try reader.labels(into: &labels)
                    for index in labels.indices {
                        labels[index] = Label(
                            name: StringSharing.shared(labels[index].name, in: &strings),
                            value: StringSharing.shared(labels[index].value, in: &strings))
                    }
                    var state = SeriesState()
                    state.maxTime = try reader.varint()
                    state.lastValueBits = try reader.uint64()
                    state.headEnd = try reader.varint()
                    let closedCount = try reader.count(minimumBytesEach: 5)
                    state.closed.reserveCapacity(closedCount)
                    for _ in 0..<closedCount { state.closed.append(try HeadSnapshotFile.readChunk(&reader)) }
                    var open: (chunk: XORChunk, resume: XORAppender.ResumeState)?
                    if try reader.byte() != 0 {
                        let chunk = try HeadSnapshotFile.readChunk(&reader)
                        let lastDelta = try reader.uvarint()
                        open = (chunk, XORAppender.ResumeState(
                            lastDelta: lastDelta, leading: try reader.byte(), trailing: try reader.byte(), freeBits: try reader.byte()))
                    }
                    let oooCount = try reader.count(minimumBytesEach: 5)
                    for _ in 0..<oooCount { state.oooChunks.append(try HeadSnapshotFile.readChunk(&reader)) }
                    let bufferCount = try reader.count(minimumBytesEach: 9)
                    for _ in 0..<bufferCount {
                        let timestamp = try reader.varint()
                        state.oooBuffer.append((timestamp, Double(bitPattern: try reader.uint64())))
                    }
                    guard !state.isEmpty || open != nil else {
                        throw WALRecordCodec.DecodeError(offset: tagOffset, reason: "series \(ref) has no samples")
                    }
                    entries.append(SnapshotSeries(ref: ref, labels: labels, state: state, open: open, offset: tagOffset))
                case HeadSnapshotFile.tagTombstones:
                    let ref = try reader.uvarint()
                    let count = try reader.count(minimumBytesEach: 2)
                    for _ in 0..<count {
                        let mint = try reader.varint()
                        let maxt = try reader.varint()
                        guard mint <= maxt else {
                            throw WALRecordCodec.DecodeError(offset: reader.absoluteOffset, reason: "tombstone \(mint)…\(maxt) is reversed")
                        }
                        addTombstone(ref: ref, mint...maxt)
                    }
                case HeadSnapshotFile.tagAlias:
                    let alias = try reader.uvarint()
                    let target = try reader.uvarint()
                    replayAliases.withLock { $0[alias] = target }
                    nextRefAtLeast(alias + 1)
                case let tag:
                    throw WALRecordCodec.DecodeError(offset: tagOffset, reason: "unknown entry tag \(tag)")
                }
            }
            guard reader.isAtEnd else {
                throw WALRecordCodec.DecodeError(offset: reader.absoluteOffset, reason: "\(reader.remaining) bytes after the end entry")
            }
            let restored = try restore(entries)
            info.series = entries.count
            info.chunks = restored.chunks
            info.samples = restored.samples
            // Counted as replayed samples are, so the head reports the same after either.
            counters.samples.wrappingAdd(info.samples, ordering: .relaxed)
        } catch {
            throw TSDBError(.corruption, "head snapshot \(path): byte \(error.offset): \(error.reason)")
        }
        info.duration = clock.now - started
        return info
    }
}
