import Testing
import VigilModel

@Suite("Metrics registry")
struct MetricsRegistryTests {
    @Test func sameNameAndLabelsGiveTheSameInstance() throws {
        let registry = MetricsRegistry()
        let a = try registry.counter(name: "x_total", help: "X.", labels: ["k": "1"])
        let b = try registry.counter(name: "x_total", help: "X.", labels: ["k": "1"])
        let c = try registry.counter(name: "x_total", help: "X.", labels: ["k": "2"])
        #expect(a === b)
        #expect(a !== c)
    }

    @Test func conflictsAreErrors() throws {
        let registry = MetricsRegistry()
        _ = try registry.counter(name: "x_total", help: "X.")
        #expect(throws: MetricsRegistryError.self) { try registry.gauge(name: "x_total", help: "X.") }
        do {
            _ = try registry.gauge(name: "x_total", help: "X.")
            Issue.record("expected a conflict")
        } catch {
            #expect(error.isConflictingType)
            #expect(error.description.contains("already registered as counter"))
        }
        #expect(throws: MetricsRegistryError.self) { try registry.counter(name: "x_total", help: "Other.") }
        #expect(throws: MetricsRegistryError.self) { try registry.counter(name: "1bad", help: "") }
        #expect(throws: MetricsRegistryError.self) { try registry.counter(name: "ok", help: "", labels: ["__x": "1"]) }
        _ = try registry.histogram(name: "h", help: "", buckets: [1, 2])
        #expect(throws: MetricsRegistryError.self) { try registry.histogram(name: "h", help: "", buckets: [1, 3]) }
        #expect(throws: MetricsRegistryError.self) { try registry.histogram(name: "h2", help: "", labels: ["le": "1"]) }
    }

    @Test func concurrentIncrementsAreExact() async throws {
        let registry = MetricsRegistry()
        let gauge = try registry.gauge(name: "g", help: "")
        let histogram = try registry.histogram(name: "h", help: "", buckets: [0.5])
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<64 {
                group.addTask {
                    let counter = try! registry.counter(name: "c_total", help: "C.", labels: ["shard": "\(task % 4)"])
                    for _ in 0..<1000 {
                        counter.increment()
                        gauge.add(2)
                        gauge.decrement()
                        histogram.observe(task % 2 == 0 ? 0.25 : 1)
                    }
                }
            }
        }
        let families = registry.collect()
        #expect(families.map(\.name) == ["c_total", "g", "h"])
        let counterTotal = families[0].samples.reduce(0) { $0 + $1.value }
        #expect(counterTotal == 64_000)
        #expect(families[0].samples.count == 4)
        #expect(families[0].samples.map { $0.labels["shard"] } == ["0", "1", "2", "3"])
        #expect(gauge.value == 64_000)
        #expect(families[2].samples.map(\.name) == ["h_bucket", "h_bucket", "h_sum", "h_count"])
        #expect(families[2].samples.map(\.value) == [32_000, 64_000, 32_000 * 0.25 + 32_000, 64_000])
        #expect(families[2].samples.map { $0.labels["le"] } == ["0.5", "+Inf", nil, nil])
    }

    @Test func countersIgnoreNegativeAmountsAndCollectorsAreIncluded() throws {
        let registry = MetricsRegistry()
        let counter = try registry.counter(name: "b_total", help: "")
        counter.increment(by: 2.5)
        counter.increment(by: -1)
        counter.increment(by: .nan)
        #expect(counter.value == 2.5)
        registry.register {
            [MetricFamily(name: "a_process", type: .gauge, samples: [.init(name: "a_process", value: 7)])]
        }
        let families = registry.collect()
        #expect(families.map(\.name) == ["a_process", "b_total"])
        #expect(families[0].samples[0].value == 7)
        #expect(families[1].type == .counter)
    }

    @Test func histogramBucketsAreInclusiveAndCumulative() {
        let histogram = Histogram(buckets: [2, 1, 1, .infinity, .nan])
        #expect(histogram.upperBounds == [1, 2])
        for value in [0.5, 1, 1.5, 2, 3] { histogram.observe(value) }
        let snapshot = histogram.snapshot()
        #expect(snapshot.cumulativeCounts == [2, 4, 5])
        #expect(snapshot.count == 5)
        #expect(snapshot.sum == 8)
    }
}
