import Foundation
import VigilModel
import VigilTestSupport
@testable import VigilTSDB

/// The seeded generator for reproducible random blocks.
typealias BlockTestRandom = SplitMix64

/// A scratch directory removed when the value is dropped.
final class BlockTestDirectory {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "vigil-block-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

typealias BlockSample = (timestamp: Int64, value: Double)

/// The reference model: what a block should answer.
struct BlockReferenceStore {
    var series: [Labels: [BlockSample]] = [:]
    var deleted: [Labels: [ClosedRange<Int64>]] = [:]

    mutating func add(_ labels: Labels, _ samples: [BlockSample]) {
        var merged = series[labels] ?? []
        var seen = Set(merged.map(\.timestamp))
        for sample in samples where !seen.contains(sample.timestamp) {
            merged.append(sample)
            seen.insert(sample.timestamp)
        }
        merged.sort { $0.timestamp < $1.timestamp }
        series[labels] = merged
    }

    func matches(_ labels: Labels, _ matchers: [LabelMatcher]) -> Bool {
        !matchers.isEmpty && matchers.allSatisfy { $0.matches(labels[$0.name] ?? "") }
    }

    func samples(_ labels: Labels, mint: Int64, maxt: Int64) -> [BlockSample] {
        let deleted = self.deleted[labels] ?? []
        return (series[labels] ?? []).filter { sample in
            sample.timestamp >= mint && sample.timestamp <= maxt && !deleted.contains { $0.contains(sample.timestamp) }
        }
    }

    func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [(Labels, [BlockSample])] {
        series.keys.filter { matches($0, matchers) }.sorted()
            .map { ($0, samples($0, mint: mint, maxt: maxt)) }
            .filter { !$0.1.isEmpty }
    }

    /// Series sorted by labels with their samples cut into chunks of `perChunk`.
    func chunked(perChunk: Int = 120) -> [(labels: Labels, chunks: [XORChunk])] {
        series.keys.sorted().map { labels in
            let samples = series[labels]!
            var chunks: [XORChunk] = []
            var start = 0
            while start < samples.count {
                let end = min(samples.count, start + perChunk)
                chunks.append(XORChunk(samples: samples[start..<end].map { ($0.timestamp, $0.value) }))
                start = end
            }
            return (labels, chunks)
        }
    }
}

enum BlockFixtures {
    /// A label set from small pools (name, job, instance, sometimes mode) not yet in `store`.
    static func newLabels(_ random: inout BlockTestRandom, notIn store: BlockReferenceStore) -> Labels {
        while true {
            var builder = LabelsBuilder()
            builder.set("__name__", "metric_\(random.next() % 7)")
            builder.set("job", "job\(random.next() % 3)")
            builder.set("instance", "host-\(random.next() % 40):9100")
            if random.next() % 3 == 0 { builder.set("mode", ["idle", "user", "system", ""][Int(random.next() % 4)]) }
            let labels = builder.build()
            if store.series[labels] == nil { return labels }
        }
    }

    /// Random series: names, jobs and instances from small pools; samples at jittered 15s steps
    /// in `[mint, maxt)`, values a mix of counters, gauges, constants, NaN and stale markers.
    static func randomStore(seed: UInt64, seriesCount: Int, mint: Int64, maxt: Int64) -> BlockReferenceStore {
        var random = BlockTestRandom(seed: seed)
        var store = BlockReferenceStore()
        var made = 0
        while made < seriesCount {
            let labels = BlockFixtures.newLabels(&random, notIn: store)
            made += 1
            var samples: [BlockSample] = []
            var t = mint + Int64(random.next() % 15_000)
            var value = Double(random.next() % 1000)
            let kind = random.next() % 4
            while t < maxt {
                switch kind {
                case 0: value += Double(random.next() % 5)
                case 1: value = Double(random.next() % 4) * 0.25
                case 2: break
                default: value = Double(bitPattern: random.next() >> 2)
                }
                var stored = value
                if random.next() % 200 == 0 { stored = .nan }
                if random.next() % 300 == 0 { stored = Double(bitPattern: 0x7FF0_0000_0000_0002) }
                samples.append((t, stored))
                t += 15_000 + Int64(random.next() % 40) - 20
            }
            if samples.isEmpty { continue }
            store.add(labels, samples)
        }
        return store
    }

    static func matcher(_ type: LabelMatcher.MatchType, _ name: String, _ value: String) -> LabelMatcher {
        try! LabelMatcher(type, name, value)
    }

    /// Matcher sets covering every resolution path.
    static let matcherSets: [[LabelMatcher]] = [
        [matcher(.equal, "__name__", "metric_1")],
        [matcher(.equal, "__name__", "metric_2"), matcher(.equal, "job", "job1")],
        [matcher(.regexMatch, "__name__", "metric_(1|3)"), matcher(.notEqual, "job", "job0")],
        [matcher(.regexMatch, "instance", "host-1.*")],
        [matcher(.regexNoMatch, "job", "job1|job2")],
        [matcher(.equal, "mode", "")],
        [matcher(.notEqual, "mode", "idle"), matcher(.equal, "job", "job2")],
        [matcher(.regexMatch, "mode", ".+")],
        [matcher(.regexMatch, "mode", ".*"), matcher(.equal, "__name__", "metric_0")],
        [matcher(.equal, "__name__", "absent")],
        [matcher(.regexNoMatch, "mode", ".*")],
        [matcher(.equal, "nosuchlabel", "")],
    ]

    static func bitEqual(_ lhs: [BlockSample], _ rhs: [BlockSample]) -> Bool {
        lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.timestamp == $1.timestamp && $0.value.bitPattern == $1.value.bitPattern }
    }
}
