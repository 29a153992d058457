import Testing
import VigilModel
@testable import VigilTSDB

/// The head's per-hash buckets hold one series without a list and keep colliding series apart.
@Suite struct HashBucketTests {
    @Test func collidingSeriesAreFoundAddedAndRemovedByLabels() {
        let a = MemSeries(ref: 1, labels: ["__name__": "a"], hash: 7)
        let b = MemSeries(ref: 2, labels: ["__name__": "b"], hash: 7)
        let c = MemSeries(ref: 3, labels: ["__name__": "c"], hash: 7)
        var bucket = HashBucket.one(a)
        #expect(bucket.series(labels: ["__name__": "a"]) === a)
        #expect(bucket.series(labels: ["__name__": "b"]) == nil)
        #expect(bucket.removing(b) != nil, "removing a series it does not hold keeps the bucket")
        #expect(bucket.removing(a) == nil)

        bucket = bucket.adding(b).adding(c)
        #expect(bucket.series(labels: ["__name__": "a"]) === a)
        #expect(bucket.series(labels: ["__name__": "b"]) === b)
        #expect(bucket.series(labels: ["__name__": "c"]) === c)
        let withoutB = bucket.removing(b)
        #expect(withoutB?.series(labels: ["__name__": "b"]) == nil)
        #expect(withoutB?.series(labels: ["__name__": "c"]) === c)
        let onlyC = withoutB?.removing(a)
        guard case .one(let last)? = onlyC else {
            Issue.record("one series left should be held without a list")
            return
        }
        #expect(last === c)
        #expect(onlyC?.removing(c) == nil)
    }
}
