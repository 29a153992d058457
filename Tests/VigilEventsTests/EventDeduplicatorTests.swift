import Testing
import VigilEvents

@Suite struct EventDeduplicatorTests {
    @Test func aCountBumpIsAggregatedNotNotified() throws {
        var dedup = EventDeduplicator(capacity: 10, maxAge: .seconds(60))
        #expect(dedup.observe(try record("a", count: 1), now: 0) == .notify)
        #expect(dedup.observe(try record("a", count: 3), now: 10) == .repeated(occurrences: 2))
        #expect(dedup.observe(try record("a", count: 3), now: 20) == .unchanged)
        #expect(dedup.observe(try record("a", count: 2), now: 30) == .unchanged)
        #expect(dedup.repeats(of: "uid-shop-a") == 2)
        #expect(dedup.observe(try record("b"), now: 40) == .notify)
    }

    @Test func entriesExpireByAgeSinceTheirLastChange() throws {
        var dedup = EventDeduplicator(capacity: 10, maxAge: .seconds(1))
        #expect(dedup.observe(try record("a"), now: 0) == .notify)
        #expect(dedup.observe(try record("b"), now: 0) == .notify)
        // a is touched, b is not: only b is forgotten a second later.
        #expect(dedup.observe(try record("a", count: 2), now: 900) == .repeated(occurrences: 1))
        #expect(dedup.observe(try record("c"), now: 1500) == .notify)
        #expect(dedup.count == 2)
        #expect(dedup.repeats(of: "uid-shop-b") == nil)
        #expect(dedup.repeats(of: "uid-shop-a") == 1)
    }

    @Test func memoryIsCappedEvictingTheLeastRecentlyTouched() throws {
        var dedup = EventDeduplicator(capacity: 100, maxAge: .seconds(3600))
        for index in 0..<10_000 {
            _ = dedup.observe(try record("e\(index)"), now: Int64(index))
            // A hot event bumped all along stays remembered.
            _ = dedup.observe(try record("hot", count: index + 1), now: Int64(index))
            #expect(dedup.count <= 100)
        }
        #expect(dedup.repeats(of: "uid-shop-hot") == 9_999)
        #expect(dedup.repeats(of: "uid-shop-e0") == nil)
        #expect(dedup.repeats(of: "uid-shop-e9999") == 0)
    }
}
