import Testing
import VigilTestSupport
@testable import VigilTSDB

/// Replay orders a worker's batch by ref before applying it; each series must keep its WAL order.
@Suite struct ReplayRunsTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func orderingByRefKeepsEachSeriesInWALOrder(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let refs = UInt64.random(in: 1...200, using: &rng)
        let base = UInt64.random(in: 0...1_000_000, using: &rng)
        let samples = (0..<5_000).map { index in
            RefSample(ref: base + UInt64.random(in: 0..<refs, using: &rng), timestamp: Int64(index), value: Double(index))
        }
        guard let ordered = Head.runsByRef(samples) else {
            Issue.record("5,000 samples over at most 200 refs should be ordered")
            return
        }
        // The reference: a stable grouping by ref.
        let expected = Dictionary(grouping: samples, by: \.ref).sorted { $0.key < $1.key }.flatMap(\.value)
        #expect(ordered == expected)
    }

    @Test func spreadRefsAreLeftAsTheyAre() {
        let samples = (0..<1_000).map { RefSample(ref: UInt64($0) * 7, timestamp: 0, value: 0) }
        #expect(Head.runsByRef(samples) == nil)
        #expect(Head.runsByRef(Array(samples.prefix(10))) == nil)
    }
}
