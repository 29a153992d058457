/// The buffers a parser grows while it reads, kept from one scrape to the next so a warm scrape
/// allocates nothing at all.
///
/// Pass the same scratch to each new parser of a scrape loop. The parser takes the buffers when it
/// starts and gives them back, emptied but with their capacity, when it reaches the end of a valid
/// exposition; after a parse error they are simply grown again next time. Not thread-safe: one
/// scratch per scrape loop.
public final class ExpositionScratch {
    private var stored: Buffers?

    /// An empty scratch; it grows to fit the largest exposition parsed with it.
    public init() {}

    /// Moves the buffers into a parser, cleared but with their capacity; fresh ones the first time.
    func take() -> Buffers {
        guard var buffers = stored.take() else {
            var labelOffsets = ContiguousArray<Int>()
            labelOffsets.reserveCapacity(64)
            var exemplarOffsets = ContiguousArray<Int>()
            exemplarOffsets.reserveCapacity(16)
            return Buffers(
                labelOffsets: labelOffsets, exemplarOffsets: exemplarOffsets,
                firstNames: SeriesCache(), secondNames: SeriesCache(), thirdNames: SeriesCache()
            )
        }
        buffers.labelOffsets.removeAll(keepingCapacity: true)
        buffers.exemplarOffsets.removeAll(keepingCapacity: true)
        buffers.firstNames.removeAll(keepingCapacity: true)
        buffers.secondNames.removeAll(keepingCapacity: true)
        buffers.thirdNames.removeAll(keepingCapacity: true)
        return buffers
    }

    /// Takes the buffers back from a parser that reached the end of its input.
    func giveBack(_ buffers: Buffers) {
        stored = buffers
    }

    struct Buffers {
        var labelOffsets: ContiguousArray<Int>
        var exemplarOffsets: ContiguousArray<Int>
        var firstNames: SeriesCache<Void>
        var secondNames: SeriesCache<Void>
        var thirdNames: SeriesCache<Void>
    }
}
