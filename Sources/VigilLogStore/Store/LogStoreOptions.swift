/// How the log store cuts chunks, keeps data and limits ingestion. Defaults are Loki's.
///
/// Durations are nanoseconds; sizes are bytes; a limit of 0 means unlimited.
public struct LogStoreOptions: Sendable, Hashable {
    /// The tenant of pushes without `X-Scope-OrgID`, and of queries through the store itself
    /// (Loki's single-tenant `fake`).
    public var defaultTenant = "fake"
    /// A head chunk is sealed once its line bytes reach this (uncompressed).
    public var chunkTargetSize = 1_536 << 10
    /// A head chunk is sealed once its first entry arrived this long ago (Loki's `max_chunk_age`, 2h).
    public var maxChunkAge: Int64 = 2 * 3_600 * 1_000_000_000
    /// A head chunk with no append for this long is sealed (Loki's `chunk_idle_period`, 30m).
    public var chunkIdlePeriod: Int64 = 30 * 60 * 1_000_000_000
    /// Entries older than the stream's newest minus this are refused ("too far behind"); Loki
    /// uses `max_chunk_age / 2`.
    public var outOfOrderWindow: Int64 = 3_600 * 1_000_000_000
    /// Entries older than now minus this are refused (Loki's `reject_old_samples_max_age`, 1 week).
    public var rejectOlderThan: Int64 = 7 * 24 * 3_600 * 1_000_000_000
    /// Entries newer than now plus this are refused (Loki's `creation_grace_period`, 10m).
    public var creationGracePeriod: Int64 = 10 * 60 * 1_000_000_000
    /// Longest line accepted (Loki's `max_line_size`, 256 KB).
    public var maxLineSize = 256_000
    /// Most labels per stream (Loki's `max_label_names_per_series`, 15).
    public var maxLabelNamesPerStream = 15
    /// Longest label name and value (Loki's 1024 and 2048).
    public var maxLabelNameLength = 1024
    public var maxLabelValueLength = 2048
    /// Per-tenant ingestion rate in line bytes per second, and the burst (Loki's 4 MB and 6 MB).
    public var ingestionRate = 4 << 20
    public var ingestionBurst = 6 << 20
    /// Per-stream rate and burst (Loki's `per_stream_rate_limit` 3 MB, burst 15 MB).
    public var perStreamRate = 3 << 20
    public var perStreamBurst = 15 << 20
    /// Most streams a tenant may have (Loki's `max_global_streams_per_user`, 5000).
    public var maxStreamsPerTenant = 5000
    /// Chunks whose newest entry is older than now minus this are deleted; 0 keeps them forever.
    public var retentionPeriod: Int64 = 0
    /// Once chunk files take more than this, the oldest chunks are deleted; 0 for no limit.
    public var retentionSize = 0
    /// WAL segment size; when the WAL grows past ``checkpointWALSize`` a checkpoint runs.
    public var walSegmentSize = 64 << 20
    public var checkpointWALSize = 256 << 20
    /// fdatasync the WAL before a push is acknowledged.
    public var walSync = true

    /// Loki's defaults.
    public init() {}
}
