public import VigilModel
import Synchronization

extension TSDB {
    /// Registers the store's self-metrics (the `prometheus_tsdb_*` equivalents, named `vigil_tsdb_*`),
    /// computed from the head and WAL at collection time.
    public func registerMetrics(on registry: MetricsRegistry) {
        let replay = replayReport
        registry.register { [head, wal, counters, headSnapshotPath] in
            let stats = head.stats
            func gauge(_ name: String, _ help: String, _ value: Double) -> MetricFamily {
                MetricFamily(name: name, help: help, type: .gauge, samples: [.init(name: name, value: value)])
            }
            func counter(_ name: String, _ help: String, _ value: Double) -> MetricFamily {
                MetricFamily(name: name, help: help, type: .counter, samples: [.init(name: name, value: value)])
            }
            var families = [
                gauge("vigil_tsdb_head_series", "Total number of series in the head block.", Double(stats.numSeries)),
                gauge("vigil_tsdb_head_chunks", "Total number of chunks in the head block.", Double(stats.chunkCount)),
                counter("vigil_tsdb_head_samples_appended_total", "Total number of appended samples.", Double(stats.samplesAppended)),
                counter(
                    "vigil_tsdb_head_out_of_order_samples_appended_total", "Total number of appended out-of-order samples.",
                    Double(stats.outOfOrderSamplesAppended)
                ),
                counter(
                    "vigil_tsdb_out_of_bounds_samples_total",
                    "Total number of samples rejected as older than the out-of-order window allows.",
                    Double(stats.rejectedOutOfBounds)
                ),
                counter(
                    "vigil_tsdb_duplicate_samples_total",
                    "Total number of samples rejected for a different value at an existing timestamp.",
                    Double(stats.rejectedDuplicates)
                ),
                gauge("vigil_tsdb_wal_segments", "Number of WAL segment files.", Double(wal.segmentCount)),
                gauge("vigil_tsdb_wal_storage_size_bytes", "Size of the write-ahead log in bytes.", Double(wal.walSize)),
                counter("vigil_tsdb_wal_fsyncs_total", "Total number of WAL fdatasync calls.", Double(wal.syncCount)),
                counter(
                    "vigil_tsdb_wal_corruptions_total", "Total number of WAL corruptions found (and cut away) on replay.",
                    Double(replay.damage.count)
                ),
                gauge(
                    "vigil_tsdb_wal_replay_duration_seconds", "Time the last start-up spent replaying the WAL.",
                    Double(replay.duration.components.seconds) + Double(replay.duration.components.attoseconds) / 1e18
                ),
            ]
            func count(_ value: borrowing Atomic<Int>) -> Double { Double(value.load(ordering: .relaxed)) }
            families += [
                counter("vigil_tsdb_head_cuts_total", "Total number of head ranges persisted as blocks.", count(counters.headCuts)),
                counter("vigil_tsdb_compactions_total", "Total number of compactions that ran.", count(counters.compactions)),
                counter("vigil_tsdb_compactions_failed_total", "Total number of compactions that failed.", count(counters.compactionFailures)),
                counter(
                    "vigil_tsdb_retention_deleted_blocks_total", "Total number of blocks deleted by time or size retention.",
                    count(counters.retentionDeletions)
                ),
                counter("vigil_tsdb_checkpoint_creations_total", "Total number of WAL checkpoints written.", count(counters.checkpoints)),
                counter("vigil_tsdb_head_snapshots_total", "Total number of head snapshots written.", count(counters.headSnapshots)),
                counter(
                    "vigil_tsdb_head_snapshot_failures_total", "Total number of head snapshots that failed.",
                    count(counters.headSnapshotFailures)
                ),
                gauge(
                    "vigil_tsdb_head_snapshot_size_bytes", "Size of the head snapshot file, 0 when there is none.",
                    Double(max(0, BlockFileSystem.fileSize(headSnapshotPath)))
                ),
            ]
            if stats.numSeries > 0 {
                families.append(gauge("vigil_tsdb_head_min_time", "Lowest timestamp in the head, in milliseconds.", Double(stats.minTime)))
                families.append(gauge("vigil_tsdb_head_max_time", "Highest timestamp in the head, in milliseconds.", Double(stats.maxTime)))
            }
            return families
        }
    }
}
