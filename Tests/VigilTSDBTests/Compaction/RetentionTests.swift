import Testing
@testable import VigilTSDB

@Suite struct RetentionTests {
    let day: Int64 = 86_400_000

    func block(_ mint: Int64, _ maxt: Int64, _ size: Int64) -> (meta: BlockMeta, size: Int64) {
        let ulid = ULID()
        return (BlockMeta(ulid: ulid, minTime: mint, maxTime: maxt, stats: .init(), compaction: .init(level: 1, sources: [ulid])), size)
    }

    @Test func byTime() {
        let blocks = (0..<20).map { block(Int64($0) * day, Int64($0 + 1) * day, 100) }
        let retention = Retention()
        #expect(retention.duration == 15 * day)
        // Newest block ends at day 20: blocks ending at or before day 5 are wholly too old.
        #expect(retention.blocksToDelete(blocks) == blocks.prefix(5).map(\.meta.ulid))
        #expect(retention.blocksToDelete(blocks, newest: 20 * day + day / 2) == blocks.prefix(5).map(\.meta.ulid))
        #expect(retention.blocksToDelete(blocks, newest: 21 * day) == blocks.prefix(6).map(\.meta.ulid))
        #expect(Retention(duration: 0).blocksToDelete(blocks).isEmpty)
        #expect(retention.blocksToDelete([]).isEmpty)
    }

    @Test func bySize() {
        let blocks = (0..<10).map { block(Int64($0) * day, Int64($0 + 1) * day, 100) }
        let retention = Retention(duration: 0, maxBytes: 550)
        // Newest first: 5 blocks fit (500), the 6th would exceed 550.
        #expect(retention.blocksToDelete(blocks) == blocks.prefix(5).map(\.meta.ulid))
        // The WAL counts first.
        #expect(retention.blocksToDelete(blocks, walSize: 200) == blocks.prefix(7).map(\.meta.ulid))
        #expect(Retention(duration: 0, maxBytes: 1000).blocksToDelete(blocks).isEmpty)
        // Both limits together.
        #expect(Retention(duration: 3 * day, maxBytes: 550).blocksToDelete(blocks) == blocks.prefix(7).map(\.meta.ulid))
    }
}
