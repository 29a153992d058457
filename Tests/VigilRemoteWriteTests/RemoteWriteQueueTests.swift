import VigilTestSupport
import Foundation
import HTTPTypes
import Logging
import Testing
import VigilConfig
import VigilModel
@testable import VigilRemoteWrite
import VigilTSDB

/// Sending: every committed sample reaches the receiver once it accepts, with external labels
/// and write relabeling applied, through failures and restarts.
@Suite struct SendingRemoteWrite {
    func config(url: String, extra: String = "") throws -> RemoteWriteConfig {
        let yaml = """
            remote_write:
              - url: \(url)
                queue_config:
                  max_samples_per_send: 50
                  batch_send_deadline: 50ms
                  min_backoff: 10ms
                  max_backoff: 50ms
                  max_shards: 4
            \(extra)
            """
        return try PrometheusConfig.parse(yaml: yaml).remoteWrite[0]
    }

    func append(_ tsdb: TSDB, series: Int, samples: Int, start: Int64) throws {
        var appender = tsdb.appender()
        var refs = [SeriesRef?](repeating: nil, count: series)
        for step in 0..<samples {
            for index in 0..<series {
                refs[index] = try appender.append(
                    ref: refs[index], labels: ["__name__": "load", "node": String(index)], timestamp: start + Int64(step) * 1000,
                    value: Double(step))
            }
        }
        try appender.commit()
    }

    func makeQueue(_ config: RemoteWriteConfig, directory: String, external: [String: String] = [:]) throws -> RemoteWriteQueue {
        var logger = Logger(label: "rw-test")
        logger.logLevel = .critical
        return try RemoteWriteQueue(config: config, externalLabels: external, directory: directory, registry: MetricsRegistry(), logger: logger)
    }

    @Test func everySampleArrivesWithExternalLabelsAndRelabeling() async throws {
        let storage = try TemporaryDirectory()
        let queues = try TemporaryDirectory()
        let tsdb = try TSDB.open(directory: storage.path)
        try await TestReceiver.with { receiver in
            let extra = """
                    write_relabel_configs:
                      - source_labels: [node]
                        regex: '3'
                        action: drop
                """
            let queue = try makeQueue(try config(url: receiver.url, extra: extra), directory: queues.path, external: ["cluster": "c1", "node": "ignored"])
            let token = tsdb.addCommitObserver(queue)
            let sender = Task { await queue.run() }
            let start = Timestamps.now() - 60_000
            try append(tsdb, series: 5, samples: 40, start: start)
            // Closure literals stay out of #expect (a Swift 6.3 miscompile aliases them).
            let reached1 = await eventually { receiver.samples.count >= 160 }
            #expect(reached1)
            sender.cancel()
            await sender.value
            tsdb.removeCommitObserver(token)
            queue.close()
            let received = receiver.samples
            #expect(received.count == 160)
            let nodes = Set(received.map { $0.labels["node"]! })
            let allLabelled = received.allSatisfy { $0.labels["cluster"] == "c1" }
            #expect(nodes == ["0", "1", "2", "4"])
            #expect(allLabelled)
            #expect(queue.metrics.samplesDropped.value == 40)
            // Per series, samples arrive in order.
            for node in ["0", "1", "2", "4"] {
                let times = received.filter { $0.labels["node"] == node }.map(\.timestamp)
                #expect(times == times.sorted())
            }
        }
        try tsdb.close()
    }

    @Test func serverErrorsAreRetriedAndClientErrorsDropTheBatch() async throws {
        let storage = try TemporaryDirectory()
        let queues = try TemporaryDirectory()
        let tsdb = try TSDB.open(directory: storage.path)
        try await TestReceiver.with { receiver in
            receiver.answer([HTTPResponse.Status.internalServerError, .serviceUnavailable])
            let queue = try makeQueue(try config(url: receiver.url), directory: queues.path)
            let token = tsdb.addCommitObserver(queue)
            let sender = Task { await queue.run() }
            try append(tsdb, series: 1, samples: 10, start: Timestamps.now() - 20_000)
            let reached2 = await eventually { receiver.samples.count == 10 }
            #expect(reached2)
            #expect(queue.metrics.samplesRetried.value >= 20)
            receiver.answer([HTTPResponse.Status.badRequest])
            try append(tsdb, series: 1, samples: 5, start: Timestamps.now() - 5_000)
            let reached3 = await eventually { queue.metrics.samplesFailed.value == 5 }
            #expect(reached3)
            try append(tsdb, series: 1, samples: 1, start: Timestamps.now())
            let reached4 = await eventually { receiver.samples.count == 11 }
            #expect(reached4)
            sender.cancel()
            await sender.value
            tsdb.removeCommitObserver(token)
            queue.close()
        }
        try tsdb.close()
    }

    @Test func rateLimitsAreRetriedOnlyWhenAsked() async throws {
        let storage = try TemporaryDirectory()
        let queues = try TemporaryDirectory()
        let tsdb = try TSDB.open(directory: storage.path)
        try await TestReceiver.with { receiver in
            receiver.answer([HTTPResponse.Status.tooManyRequests], headers: [("Retry-After", "0")])
            let extra = """
                    queue_config:
                      retry_on_http_429: true
                      batch_send_deadline: 50ms
                      min_backoff: 10ms
                """
            var retrying = try config(url: receiver.url)
            retrying.queueConfig = try PrometheusConfig.parse(yaml: "remote_write:\n  - url: \(receiver.url)\n" + extra).remoteWrite[0].queueConfig
            let queue = try makeQueue(retrying, directory: queues.path)
            let token = tsdb.addCommitObserver(queue)
            let sender = Task { await queue.run() }
            try append(tsdb, series: 1, samples: 3, start: Timestamps.now() - 5_000)
            let reached5 = await eventually { receiver.samples.count == 3 }
            #expect(reached5)
            #expect(queue.metrics.samplesRetried.value == 3)
            sender.cancel()
            await sender.value
            tsdb.removeCommitObserver(token)
            queue.close()
        }
        try await TestReceiver.with { receiver in
            receiver.answer([HTTPResponse.Status.tooManyRequests])
            let queue = try makeQueue(try config(url: receiver.url), directory: queues.path + "/default")
            let token = tsdb.addCommitObserver(queue)
            let sender = Task { await queue.run() }
            try append(tsdb, series: 1, samples: 2, start: Timestamps.now() - 2_000)
            let reached6 = await eventually { queue.metrics.samplesFailed.value == 2 }
            #expect(reached6)
            #expect(queue.metrics.samplesRetried.value == 0)
            sender.cancel()
            await sender.value
            tsdb.removeCommitObserver(token)
            queue.close()
        }
        try tsdb.close()
    }

    @Test func aBacklogSurvivesARestartOfTheSender() async throws {
        let storage = try TemporaryDirectory()
        let queues = try TemporaryDirectory()
        let tsdb = try TSDB.open(directory: storage.path)
        try await TestReceiver.with { receiver in
            // The receiver is "down" for the first part: every request fails.
            receiver.answer(Array(repeating: HTTPResponse.Status.serviceUnavailable, count: 1_000_000))
            let config = try config(url: receiver.url)
            let first = try makeQueue(config, directory: queues.path)
            let token = tsdb.addCommitObserver(first)
            let sender = Task { await first.run() }
            try append(tsdb, series: 3, samples: 50, start: Timestamps.now() - 100_000)
            let reached7 = await eventually { first.metrics.samplesRetried.value > 0 }
            #expect(reached7)
            sender.cancel()
            await sender.value
            tsdb.removeCommitObserver(token)
            first.close()
            #expect(receiver.samples.isEmpty)

            let second = try makeQueue(config, directory: queues.path)
            let secondToken = tsdb.addCommitObserver(second)
            // Clear the queued failures: the receiver is back.
            receiver.reset()
            let resumed = Task { await second.run() }
            try append(tsdb, series: 3, samples: 1, start: Timestamps.now())
            let reached8 = await eventually { Set(receiver.samples).count == 153 }
            #expect(reached8)
            resumed.cancel()
            await resumed.value
            tsdb.removeCommitObserver(secondToken)
            second.close()
        }
        try tsdb.close()
    }
}
