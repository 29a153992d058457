import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VigilLogQL
import Synchronization
import VigilModel

extension LogStore {
    /// Writes every chunk sealed since the last checkpoint to `chunks/`, snapshots the open heads
    /// into a new WAL segment, records that segment in `checkpoint`, and deletes the older ones.
    ///
    /// Crash-safe at every step: a chunk file carries the checkpoint that wrote it, and one newer
    /// than `checkpoint` (an interrupted run) is deleted on open, its entries replayed from the
    /// segments that still hold them; a head snapshot counts only for its own checkpoint.
    /// - Parameter sealHeads: seal the heads first (shutdown), leaving nothing but chunks.
    public func checkpoint(sealHeads: Bool) throws(LogStoreError) {
        try ingest.withLock { _ throws(LogStoreError) in
            if state.withLock({ $0.closed }) { return }
            let segment = try wal.cutSegment()
            struct Pending {
                var stream: Int
                var chunk: LogChunk
                var tenant: String
                var labels: Labels
            }
            var pending: [Pending] = []
            var heads: [LogWALRecord.Stream] = []
            state.withLock { state in
                for id in state.streams.indices where !state.streams[id].removed {
                    if sealHeads { state.seal(id) }
                    let stream = state.streams[id]
                    for chunk in stream.chunks where chunk.data != nil {
                        pending.append(Pending(stream: id, chunk: chunk, tenant: stream.tenant, labels: stream.labels))
                    }
                    if !stream.head.entries.isEmpty {
                        heads.append(LogWALRecord.Stream(tenant: stream.tenant, labels: stream.labels, entries: stream.head.entries))
                    }
                }
            }
            var written: [(stream: Int, id: UInt64, path: String, size: Int, dataOffset: Int)] = []
            for item in pending {
                guard let data = item.chunk.data else { continue }
                let path = chunkDirectory + "/" + ChunkFile.name(item.chunk.id)
                let bytes = ChunkFile.encode(item.chunk, data: data, tenant: item.tenant, labels: item.labels, checkpoint: UInt64(segment))
                try FileIO.writeAtomically(path, bytes, sync: options.walSync)
                written.append((item.stream, item.chunk.id, path, bytes.count, bytes.count - data.count))
            }
            if !heads.isEmpty {
                try wal.log(LogWALRecord(kind: .headSnapshot, checkpoint: UInt64(segment), streams: heads).encoded())
            }
            var marker = ByteSink()
            marker.uint64(UInt64(segment))
            marker.uint32(CRC32C.checksum(marker.bytes))
            try FileIO.writeAtomically(checkpointPath, marker.bytes, sync: options.walSync)
            try wal.deleteSegments(before: segment)
            state.withLock { state in
                for item in written {
                    guard let index = state.streams[item.stream].chunks.firstIndex(where: { $0.id == item.id }) else {
                        // Deleted by retention meanwhile: the file goes too.
                        unlink(item.path)
                        continue
                    }
                    state.streams[item.stream].chunks[index].data = nil
                    state.streams[item.stream].chunks[index].path = item.path
                    state.streams[item.stream].chunks[index].dataOffset = item.dataOffset
                    state.streams[item.stream].chunks[index].storedBytes = item.size
                }
            }
        }
    }

    /// Seals heads past ``LogStoreOptions/maxChunkAge`` or idle for
    /// ``LogStoreOptions/chunkIdlePeriod``, then applies retention. The service calls it periodically.
    public func maintain() {
        let now = clock()
        ingest.withLock { _ in
            state.withLock { state in
                for id in state.streams.indices where !state.streams[id].head.entries.isEmpty {
                    let head = state.streams[id].head
                    if now - head.created >= options.maxChunkAge || now - head.lastAppend >= options.chunkIdlePeriod {
                        state.seal(id)
                    }
                }
            }
        }
        applyRetention()
    }

    /// Deletes whole chunks older than the retention period, then the oldest written chunks
    /// while the written ones take more than the retention size. Returns how many were deleted.
    @discardableResult
    public func applyRetention() -> Int {
        let now = clock()
        var deleted = 0
        ingest.withLock { _ in
            state.withLock { state in
                if options.retentionPeriod > 0 {
                    let cutoff = now &- options.retentionPeriod
                    for id in state.streams.indices where !state.streams[id].removed {
                        state.streams[id].chunks.removeAll { chunk in
                            guard chunk.maxt < cutoff else { return false }
                            if let path = chunk.path { unlink(path) }
                            deleted += 1
                            return true
                        }
                        state.removeIfEmpty(id)
                    }
                }
                if options.retentionSize > 0 {
                    var written: [(stream: Int, id: UInt64, maxt: Int64, size: Int)] = []
                    for id in state.streams.indices {
                        for chunk in state.streams[id].chunks where chunk.path != nil {
                            written.append((id, chunk.id, chunk.maxt, chunk.storedBytes))
                        }
                    }
                    var total = written.reduce(0) { $0 + $1.size }
                    written.sort { $0.maxt < $1.maxt }
                    var touched = Set<Int>()
                    for item in written where total > options.retentionSize {
                        if let index = state.streams[item.stream].chunks.firstIndex(where: { $0.id == item.id }) {
                            if let path = state.streams[item.stream].chunks[index].path { unlink(path) }
                            state.streams[item.stream].chunks.remove(at: index)
                            total -= item.size
                            deleted += 1
                            touched.insert(item.stream)
                        }
                    }
                    for id in touched { state.removeIfEmpty(id) }
                }
            }
        }
        if deleted > 0 { logger.info("Log retention deleted chunks", metadata: ["chunks": "\(deleted)"]) }
        return deleted
    }
}
