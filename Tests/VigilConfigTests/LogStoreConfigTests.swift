import Testing
import VigilConfig

@Suite struct LogStoreConfigTests {
    @Test func absentSectionIsLokisDefaults() throws {
        let config = try PrometheusConfig.parse(yaml: "")
        #expect(config.logStore == LogStoreConfig())
        #expect(config.logStore.enabled)
        #expect(config.logStore.maxChunkAge == .hours(2))
        #expect(config.logStore.outOfOrderWindow == nil)
        #expect(config.logStore.ingestionRate.bytes == 4 << 20)
        #expect(config.logStore.maxGlobalStreamsPerUser == 5000)
    }

    @Test func decodesEveryKey() throws {
        let config = try PrometheusConfig.parse(yaml: """
            log_store:
              enabled: false
              retention_period: 7d
              retention_size: 10GiB
              chunk_target_size: 512KiB
              max_chunk_age: 1h
              chunk_idle_period: 5m
              out_of_order_window: 10m
              reject_old_samples_max_age: 0s
              creation_grace_period: 1m
              max_line_size: 1MiB
              ingestion_rate: 8MiB
              ingestion_burst_size: 16MiB
              per_stream_rate_limit: 1MiB
              per_stream_rate_limit_burst: 2MiB
              max_global_streams_per_user: 0
              max_label_names_per_series: 20
              max_push_size: 10MiB
            """)
        let store = config.logStore
        #expect(!store.enabled)
        #expect(store.retentionPeriod == .hours(168))
        #expect(store.retentionSize.bytes == 10 << 30)
        #expect(store.chunkTargetSize.bytes == 512 << 10)
        #expect(store.maxChunkAge == .hours(1))
        #expect(store.chunkIdlePeriod == .minutes(5))
        #expect(store.outOfOrderWindow == .minutes(10))
        #expect(store.rejectOldSamplesMaxAge == .zero)
        #expect(store.creationGracePeriod == .minutes(1))
        #expect(store.maxLineSize.bytes == 1 << 20)
        #expect(store.ingestionRate.bytes == 8 << 20 && store.ingestionBurstSize.bytes == 16 << 20)
        #expect(store.perStreamRateLimit.bytes == 1 << 20 && store.perStreamRateLimitBurst.bytes == 2 << 20)
        #expect(store.maxGlobalStreamsPerUser == 0)
        #expect(store.maxLabelNamesPerSeries == 20)
        #expect(store.maxPushSize.bytes == 10 << 20)
    }

    @Test func unknownKeysAndBadValuesNameTheirPlace() {
        #expect {
            try PrometheusConfig.parse(yaml: "log_store:\n  retention: 7d\n")
        } throws: { "\($0)".contains("retention") && "\($0)".contains("2:") }
        #expect {
            try PrometheusConfig.parse(yaml: "log_store:\n  chunk_target_size: 10B\n")
        } throws: { "\($0)".contains("chunk_target_size must be at least 1KiB") }
    }
}
