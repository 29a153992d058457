public import VigilModel

extension TSDB {
    /// Registers the store's self-metrics (the `prometheus_tsdb_*` equivalents, named `vigil_tsdb_*`),
    /// computed from the head and WAL at collection time.
    public func registerMetrics(on registry: MetricsRegistry) {
        let replay = replayReport
        registry.register { [head, wal] in
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
            if stats.numSeries > 0 {
                families.append(gauge("vigil_tsdb_head_min_time", "Lowest timestamp in the head, in milliseconds.", Double(stats.minTime)))
                families.append(gauge("vigil_tsdb_head_max_time", "Highest timestamp in the head, in milliseconds.", Double(stats.maxTime)))
            }
            return families
        }
    }
}
