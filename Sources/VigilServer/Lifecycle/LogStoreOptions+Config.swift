import VigilConfig
import VigilLogStore

extension LogStoreOptions {
    /// The store's options from the `log_store:` section (durations to nanoseconds).
    init(_ config: LogStoreConfig) {
        self.init()
        let nanosecondsPerMillisecond: Int64 = 1_000_000
        retentionPeriod = config.retentionPeriod.milliseconds * nanosecondsPerMillisecond
        retentionSize = Int(config.retentionSize.bytes)
        maxChunkAge = config.maxChunkAge.milliseconds * nanosecondsPerMillisecond
        chunkIdlePeriod = config.chunkIdlePeriod.milliseconds * nanosecondsPerMillisecond
        chunkTargetSize = Int(config.chunkTargetSize.bytes)
        outOfOrderWindow = (config.outOfOrderWindow?.milliseconds ?? config.maxChunkAge.milliseconds / 2) * nanosecondsPerMillisecond
        rejectOlderThan = config.rejectOldSamplesMaxAge.milliseconds * nanosecondsPerMillisecond
        creationGracePeriod = config.creationGracePeriod.milliseconds * nanosecondsPerMillisecond
        maxLineSize = Int(config.maxLineSize.bytes)
        ingestionRate = Int(config.ingestionRate.bytes)
        ingestionBurst = Int(config.ingestionBurstSize.bytes)
        perStreamRate = Int(config.perStreamRateLimit.bytes)
        perStreamBurst = Int(config.perStreamRateLimitBurst.bytes)
        maxStreamsPerTenant = config.maxGlobalStreamsPerUser
        maxLabelNamesPerStream = config.maxLabelNamesPerSeries
    }
}
