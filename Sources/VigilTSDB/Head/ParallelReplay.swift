import Dispatch
import Synchronization
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
/// series ref, so a series' samples always go to the same worker and keep their WAL order. A
/// worker's samples are gathered across records into batches of several samples per series (see
/// ``Head/applyReplayed(_:)``), handed out when full. Series records are applied at once on the
/// replaying thread, before any later sample is handed out; tombstones wait for every batch to be
/// applied. The number of batches in flight is bounded, so a fast reader does not buffer the WAL
/// in memory.
final class ParallelReplay: @unchecked Sendable {
    private let head: Head
    private let queues: [DispatchQueue]
    private let group = DispatchGroup()
    private let slots: DispatchSemaphore
    /// Samples gathered per worker, not yet handed out (touched by the replaying thread only).
    private var pending: [[RefSample]]

    /// A replay into `head` with `workers` workers (one per online core by default, at most 8).
    init(head: Head, workers: Int = ParallelReplay.defaultWorkers) {
        self.head = head
        let count = Swift.max(1, workers)
        queues = (0..<count).map { DispatchQueue(label: "vigil.replay.\($0)") }
        slots = DispatchSemaphore(value: count * 2)
        pending = Array(repeating: [], count: count)
    }

    static var defaultWorkers: Int {
        Swift.min(8, Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    }

    /// Samples per worker batch: eight per series, so runs form, within 128 Ki…2 Mi samples.
    private var batchSize: Int {
        Swift.min(2 << 20, Swift.max(128 << 10, 8 * head.seriesCount.load(ordering: .relaxed)))
    }

    /// Applies `record`, possibly later on a worker; ``finish()`` waits for all of them.
    func apply(_ record: WALRecord) {
        switch record {
        case .series:
            head.apply(record)
        case .tombstones:
            drain()
            head.apply(record)
        case .samples(let samples):
            let limit = batchSize
            if queues.count == 1 {
                pending[0].append(contentsOf: samples)
            } else {
                let workers = UInt64(queues.count)
                for sample in samples { pending[Int(sample.ref % workers)].append(sample) }
            }
            for index in pending.indices where pending[index].count >= limit { handOut(index) }
        }
    }

    private func handOut(_ index: Int) {
        let batch = pending[index]
        guard !batch.isEmpty else { return }
        pending[index] = []
        slots.wait()
        queues[index].async(group: group) { [head, slots] in
            head.applyReplayed(batch)
            slots.signal()
        }
    }

    /// Hands out every gathered sample and waits until all are applied.
    private func drain() {
        for index in pending.indices { handOut(index) }
        group.wait()
    }

    /// Waits until every handed-out record is applied.
    func finish() {
        drain()
    }
}
