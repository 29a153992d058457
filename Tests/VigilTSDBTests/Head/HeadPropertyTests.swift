import Testing
import VigilTestSupport
import VigilModel
@testable import VigilTSDB

/// The reference model: labels → timestamp → value bits, with the head's acceptance rules
/// written the simple way.
struct ReferenceModel {
    var series: [Labels: [Int64: UInt64]] = [:]
    var maxT: [Labels: Int64] = [:]
    let window: Int64

    enum Outcome: Equatable { case store, ignore, reject(TSDBError.Kind) }

    func check(_ labels: Labels, _ t: Int64, _ bits: UInt64) -> Outcome {
        guard let maxT = maxT[labels] else { return .store }
        if t > maxT { return .store }
        if let existing = series[labels]?[t] {
            return existing == bits ? .ignore : .reject(.duplicateSampleForTimestamp)
        }
        if window == 0 { return .reject(.outOfOrder) }
        if t < maxT - window { return .reject(.outOfBounds) }
        return .store
    }

    var commitRejected = 0

    mutating func apply(_ labels: Labels, _ t: Int64, _ bits: UInt64) {
        let outcome = check(labels, t, bits)
        if case .reject = outcome { commitRejected += 1 }
        guard outcome == .store else { return }
        series[labels, default: [:]][t] = bits
        maxT[labels] = max(maxT[labels] ?? .min, t)
    }
}

@Suite("Head property")
struct HeadPropertyTests {
    static let jobs = ["api", "db", "web"]
    static let instances = ["a", "b", "c", "d"]

    @Test(arguments: [UInt64(1), 2, 3, 4], [Int64(600_000), 0])
    func randomAppendsMatchReferenceModel(seed: UInt64, window: Int64) throws {
        var rng = SplitMix64(seed: seed)
        var options = HeadOptions()
        options.outOfOrderWindow = window
        options.samplesPerChunk = 20 + Int(seed * 7)
        options.chunkRange = 300_000
        let head = Head(options: options)
        var model = ReferenceModel(window: window)
        var allLabels: [Labels] = []
        for job in Self.jobs {
            for instance in Self.instances {
                allLabels.append(["__name__": "up", "job": job, "instance": instance])
                if instance != "d" { allLabels.append(["__name__": "rate", "job": job, "instance": instance, "extra": "x"]) }
            }
        }
        var refs: [Labels: SeriesRef] = [:]
        var clock: [Labels: Int64] = [:]
        var rejected = 0
        for _ in 0..<60 {
            var appender = head.appender()
            var batch: [(Labels, Int64, Double)] = []
            for _ in 0..<Int(rng.next() % 80) {
                let labels = allLabels[Int(rng.next() % UInt64(allLabels.count))]
                var t = clock[labels] ?? -50_000
                switch rng.next() % 10 {
                case 0...5: t += Int64(rng.next() % 30_000) + 1
                case 6: t -= Int64(rng.next() % 700_000)  // out of order, sometimes too old
                case 7: t -= Int64(rng.next() % 3) * 15_000  // likely duplicate timestamp
                default: t -= Int64(rng.next() % 60_000)
                }
                clock[labels] = max(clock[labels] ?? .min, t)
                let value: Double
                switch rng.next() % 12 {
                case 0: value = StaleNaN.value
                case 1: value = .nan
                case 2: value = -0.0
                case 3: value = .infinity
                case 4, 5:  // repeat the model's value at that timestamp (a true duplicate) if any
                    value = model.series[labels]?[t].map { Double(bitPattern: $0) } ?? 1
                default: value = Double(rng.next() % 100)
                }
                let expected = model.check(labels, t, value.bitPattern)
                do {
                    let ref = try appender.append(ref: refs[labels], labels: labels, timestamp: t, value: value)
                    refs[labels] = ref
                    if case .reject = expected {
                        Issue.record("accepted \(labels) @\(t) but model says \(expected)")
                        continue
                    }
                    batch.append((labels, t, value))
                } catch {
                    rejected += 1
                    #expect(expected == .reject(error.kind), "\(labels) @\(t): \(error)")
                }
            }
            if rng.next() % 7 == 0 {
                appender.rollback()
            } else {
                try appender.commit()
                for (labels, t, value) in batch { model.apply(labels, t, value.bitPattern) }
            }
        }
        let querier = HeadQuerier(head: head)
        // Random selections over random ranges.
        let matcherChoices: [[LabelMatcher]] = try [
            [LabelMatcher(.equal, "__name__", "up")],
            [LabelMatcher(.regexMatch, "job", "api|db")],
            [LabelMatcher(.notEqual, "job", "api"), LabelMatcher(.equal, "__name__", "rate")],
            [LabelMatcher(.equal, "extra", "")],
            [LabelMatcher(.regexMatch, "extra", ".+")],
            [LabelMatcher(.regexNoMatch, "instance", "a|b"), LabelMatcher(.regexMatch, "job", "w.*")],
            [LabelMatcher(.regexMatch, "instance", ".*")],
            [LabelMatcher(.regexMatch, "job", "(api|web)"), LabelMatcher(.notEqual, "extra", "x")],
        ]
        for _ in 0..<60 {
            let matchers = matcherChoices[Int(rng.next() % UInt64(matcherChoices.count))]
            var mint = Int64(rng.next() % 2_000_000) - 100_000
            var maxt = Int64(rng.next() % 2_000_000) - 100_000
            if rng.next() % 4 == 0 { mint = .min; maxt = .max }
            if mint > maxt { swap(&mint, &maxt) }
            let got = try querier.select(matchers, mint: mint, maxt: maxt)
            var expected: [(Labels, [(Int64, UInt64)])] = []
            for (labels, samples) in model.series where matchers.allSatisfy({ $0.matches(labels[$0.name] ?? "") }) {
                let inRange = samples.filter { $0.key >= mint && $0.key <= maxt }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                if !inRange.isEmpty { expected.append((labels, inRange)) }
            }
            expected.sort { $0.0 < $1.0 }
            #expect(got.map(\.labels) == expected.map(\.0), "\(matchers) [\(mint), \(maxt)]")
            for (series, want) in zip(got, expected) {
                let samples = series.samples().map { ($0.timestamp, $0.value.bitPattern) }
                #expect(samples.elementsEqual(want.1, by: { $0 == $1 }), "\(series.labels)")
            }
        }
        let total = model.series.values.reduce(0) { $0 + $1.count }
        let stats = head.stats
        #expect(stats.samplesAppended == total)
        #expect(stats.numSeries == allLabels.count || stats.numSeries <= allLabels.count)
        #expect(stats.rejectedOutOfBounds + stats.rejectedOutOfOrder + stats.rejectedDuplicates == rejected + model.commitRejected)

        // Persistence sees the same data.
        let persisted = head.seriesForPersistence(mint: .min, maxt: .max)
        #expect(persisted.count == model.series.count)
        for entry in persisted {
            var got: [(Int64, UInt64)] = []
            for chunk in entry.chunks {
                var iterator = chunk.makeIterator()
                while iterator.next() { got.append((iterator.timestamp, iterator.value.bitPattern)) }
            }
            let want = (model.series[entry.labels] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            #expect(got.elementsEqual(want, by: { $0 == $1 }))
        }
    }
}
