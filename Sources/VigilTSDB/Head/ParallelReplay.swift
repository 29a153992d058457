import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Applies replayed WAL records to a head with one worker per core.
///
/// Decoding and checksumming stay on the replaying thread; each samples record is split by
/// series ref, so a series' samples always go to the same worker and keep their WAL order.
/// Series records are applied at once on the replaying thread, before any later record that could
/// refer to them is handed out; tombstones wait for the workers to drain. The number of batches in
/// flight is bounded, so a fast reader does not buffer the WAL in memory.
final class ParallelReplay: @unchecked Sendable {
    private let head: Head
    private let queues: [DispatchQueue]
    private let group = DispatchGroup()
    private let slots: DispatchSemaphore

    /// A replay into `head` with `workers` workers (one per online core by default, at most 8).
    init(head: Head, workers: Int = ParallelReplay.defaultWorkers) {
        self.head = head
        let count = Swift.max(1, workers)
        queues = (0..<count).map { DispatchQueue(label: "vigil.replay.\($0)") }
        slots = DispatchSemaphore(value: count * 8)
    }

    static var defaultWorkers: Int {
        Swift.min(8, Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    }

    /// Applies `record`, possibly later on a worker; ``finish()`` waits for all of them.
    func apply(_ record: WALRecord) {
        switch record {
        case .series:
            head.apply(record)
        case .tombstones:
            group.wait()
            head.apply(record)
        case .samples(let samples):
            if queues.count == 1 {
                head.apply(record)
                return
            }
            var shards = [[RefSample]](repeating: [], count: queues.count)
            let reserve = samples.count / queues.count + 16
            for index in shards.indices { shards[index].reserveCapacity(reserve) }
            for sample in samples { shards[Int(sample.ref % UInt64(queues.count))].append(sample) }
            for (index, shard) in shards.enumerated() where !shard.isEmpty {
                slots.wait()
                queues[index].async(group: group) { [head, slots] in
                    head.apply(.samples(shard))
                    slots.signal()
                }
            }
        }
    }

    /// Waits until every handed-out record is applied.
    func finish() {
        group.wait()
    }
}
