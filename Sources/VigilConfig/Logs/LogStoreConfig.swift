/// Vigil's `log_store:` section: the Loki-compatible log store `vigil server` runs (the
/// `/loki/api/v1/*` routes), with Loki's `limits_config` and ingester settings under the same
/// names. Absent, the store runs with Loki's defaults and keeps data forever.
public struct LogStoreConfig: Sendable, Hashable, Decodable {
    /// Serve the store and its routes (`enabled`, default true).
    public var enabled = true
    /// Delete chunks whose newest line is older than this (`retention_period`; 0 keeps everything).
    public var retentionPeriod = PromDuration.zero
    /// Delete the oldest chunks while chunk files take more than this (`retention_size`; 0: no limit).
    public var retentionSize = ByteSize.zero
    /// Seal a stream's open chunk after this long (`max_chunk_age`, 2h).
    public var maxChunkAge = PromDuration.hours(2)
    /// Seal a chunk with no new line for this long (`chunk_idle_period`, 30m).
    public var chunkIdlePeriod = PromDuration.minutes(30)
    /// Seal a chunk at this many uncompressed line bytes (`chunk_target_size`, 1536KiB).
    public var chunkTargetSize = ByteSize(bytes: 1_536 << 10)
    /// Accept lines this far behind a stream's newest (`out_of_order_window`; default max_chunk_age / 2).
    public var outOfOrderWindow: PromDuration?
    /// Refuse lines older than now minus this (`reject_old_samples_max_age`, 1w; 0 accepts any age).
    public var rejectOldSamplesMaxAge = PromDuration.hours(168)
    /// Refuse lines newer than now plus this (`creation_grace_period`, 10m; 0 accepts any).
    public var creationGracePeriod = PromDuration.minutes(10)
    /// Longest line (`max_line_size`, 256KB; 0 for no limit).
    public var maxLineSize = ByteSize(bytes: 256_000)
    /// Per-tenant ingestion rate and burst in bytes per second (`ingestion_rate`, 4MiB; `ingestion_burst_size`, 6MiB; 0: unlimited).
    public var ingestionRate = ByteSize(bytes: 4 << 20)
    public var ingestionBurstSize = ByteSize(bytes: 6 << 20)
    /// Per-stream rate and burst (`per_stream_rate_limit`, 3MiB; `per_stream_rate_limit_burst`, 15MiB).
    public var perStreamRateLimit = ByteSize(bytes: 3 << 20)
    public var perStreamRateLimitBurst = ByteSize(bytes: 15 << 20)
    /// Most streams per tenant (`max_global_streams_per_user`, 5000; 0: unlimited).
    public var maxGlobalStreamsPerUser = 5000
    /// Most labels per stream (`max_label_names_per_series`, 15).
    public var maxLabelNamesPerSeries = 15
    /// Largest push body after decompression (`max_push_size`, 100MiB, Loki's `max_recv_msg_size`).
    public var maxPushSize = ByteSize(bytes: 100 << 20)

    /// Loki's defaults.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case enabled
        case retentionPeriod = "retention_period"
        case retentionSize = "retention_size"
        case maxChunkAge = "max_chunk_age"
        case chunkIdlePeriod = "chunk_idle_period"
        case chunkTargetSize = "chunk_target_size"
        case outOfOrderWindow = "out_of_order_window"
        case rejectOldSamplesMaxAge = "reject_old_samples_max_age"
        case creationGracePeriod = "creation_grace_period"
        case maxLineSize = "max_line_size"
        case ingestionRate = "ingestion_rate"
        case ingestionBurstSize = "ingestion_burst_size"
        case perStreamRateLimit = "per_stream_rate_limit"
        case perStreamRateLimitBurst = "per_stream_rate_limit_burst"
        case maxGlobalStreamsPerUser = "max_global_streams_per_user"
        case maxLabelNamesPerSeries = "max_label_names_per_series"
        case maxPushSize = "max_push_size"
    }

    /// Decodes the section, defaulting each absent key, and checks the values make sense.
    public init(from decoder: any Decoder) throws {
        let defaults = LogStoreConfig()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.value(.enabled, default: defaults.enabled)
        retentionPeriod = try container.value(.retentionPeriod, default: defaults.retentionPeriod)
        retentionSize = try container.value(.retentionSize, default: defaults.retentionSize)
        maxChunkAge = try container.value(.maxChunkAge, default: defaults.maxChunkAge)
        chunkIdlePeriod = try container.value(.chunkIdlePeriod, default: defaults.chunkIdlePeriod)
        chunkTargetSize = try container.value(.chunkTargetSize, default: defaults.chunkTargetSize)
        outOfOrderWindow = try container.optional(.outOfOrderWindow)
        rejectOldSamplesMaxAge = try container.value(.rejectOldSamplesMaxAge, default: defaults.rejectOldSamplesMaxAge)
        creationGracePeriod = try container.value(.creationGracePeriod, default: defaults.creationGracePeriod)
        maxLineSize = try container.value(.maxLineSize, default: defaults.maxLineSize)
        ingestionRate = try container.value(.ingestionRate, default: defaults.ingestionRate)
        ingestionBurstSize = try container.value(.ingestionBurstSize, default: defaults.ingestionBurstSize)
        perStreamRateLimit = try container.value(.perStreamRateLimit, default: defaults.perStreamRateLimit)
        perStreamRateLimitBurst = try container.value(.perStreamRateLimitBurst, default: defaults.perStreamRateLimitBurst)
        maxGlobalStreamsPerUser = try container.value(.maxGlobalStreamsPerUser, default: defaults.maxGlobalStreamsPerUser)
        maxLabelNamesPerSeries = try container.value(.maxLabelNamesPerSeries, default: defaults.maxLabelNamesPerSeries)
        maxPushSize = try container.value(.maxPushSize, default: defaults.maxPushSize)
        if maxChunkAge.milliseconds <= 0 {
            throw ConfigValidationError("max_chunk_age must be positive", field: "max_chunk_age")
        }
        if chunkTargetSize.bytes < 1024 {
            throw ConfigValidationError("chunk_target_size must be at least 1KiB", field: "chunk_target_size")
        }
        if maxGlobalStreamsPerUser < 0 {
            throw ConfigValidationError("max_global_streams_per_user must not be negative", field: "max_global_streams_per_user")
        }
        if maxPushSize.bytes < 1024 {
            throw ConfigValidationError("max_push_size must be at least 1KiB", field: "max_push_size")
        }
    }
}
