import VigilModel

/// The head's series by ref in pages of 4,096 slots, with each series' labels as symbol ids,
/// beside the lock-striped maps.
///
/// Queries resolve postings (ascending refs) to series by the thousand. Through the striped hash
/// maps every lookup lands on a random bucket, object and label array; here consecutive refs sit in
/// consecutive slots, and a page keeps its series' label pairs in one array of symbol ids
/// (8 bytes a pair), so listing the values of one label over 10,000 series reads a few hundred
/// kilobytes in order and compares integers. Refs too large for the table (a WAL from a store that
/// created billions of series over its life) are not kept; readers fall back to the maps.
struct SeriesTable: ~Copyable {
    private static let pageBits = 12
    private static let pageSize = 1 << pageBits
    /// Pages beyond this (2^36 refs) are not kept.
    private static let maxPages = 1 << 24

    /// A class, so reading a slot retains one object rather than copying five arrays.
    private final class Page {
        var series: [MemSeries?] = Array(repeating: nil, count: SeriesTable.pageSize)
        /// Per slot: where its pairs start in `pairs`, and how many labels it has.
        var starts: [UInt32] = Array(repeating: 0, count: SeriesTable.pageSize)
        var counts: [UInt32] = Array(repeating: 0, count: SeriesTable.pageSize)
        /// Name id, value id, name id, value id… for every series of the page, in insertion order.
        var pairs: [UInt32] = []
        /// Entries of `pairs` belonging to removed series.
        var garbage = 0

        init() {}
    }

    private var pages: [Page?] = []
    /// Every name and value string once; ids index `strings`.
    private var strings: [String] = []
    private var ids: [String: UInt32] = [:]
    /// Series held, for deciding when the symbols need rebuilding.
    private var held = 0

    init() {}

    /// Whether a ref is small enough for the table to hold it.
    static func covers(_ ref: SeriesRef) -> Bool {
        ref >> UInt64(pageBits) < UInt64(maxPages)
    }

    private static func position(_ ref: SeriesRef) -> (page: Int, slot: Int) {
        (Int(truncatingIfNeeded: ref >> UInt64(pageBits)), Int(truncatingIfNeeded: ref) & (pageSize - 1))
    }

    private mutating func symbol(_ string: String) -> UInt32 {
        if let id = ids[string] { return id }
        let id = UInt32(strings.count)
        strings.append(string)
        ids[string] = id
        return id
    }

    /// Stores `series` under `ref`.
    mutating func insert(_ ref: SeriesRef, _ series: MemSeries) {
        guard Self.covers(ref) else { return }
        if get(ref) != nil { remove(ref) }
        let (page, slot) = Self.position(ref)
        if page >= pages.count { pages.append(contentsOf: repeatElement(nil, count: page - pages.count + 1)) }
        if pages[page] == nil { pages[page] = Page() }
        var symbols: [UInt32] = []
        symbols.reserveCapacity(series.labels.count * 2)
        for label in series.labels {
            symbols.append(symbol(label.name))
            symbols.append(symbol(label.value))
        }
        pages[page]!.series[slot] = series
        pages[page]!.starts[slot] = UInt32(pages[page]!.pairs.count)
        pages[page]!.counts[slot] = UInt32(series.labels.count)
        pages[page]!.pairs.append(contentsOf: symbols)
        held += 1
    }

    /// Clears the slot of `ref`.
    mutating func remove(_ ref: SeriesRef) {
        guard Self.covers(ref) else { return }
        let (page, slot) = Self.position(ref)
        guard page < pages.count, pages[page] != nil, pages[page]!.series[slot] != nil else { return }
        pages[page]!.series[slot] = nil
        pages[page]!.garbage += Int(pages[page]!.counts[slot]) * 2
        pages[page]!.counts[slot] = 0
        held -= 1
        if pages[page]!.garbage > Swift.max(4096, pages[page]!.pairs.count / 2) { compact(page) }
    }

    /// Rewrites a page's pairs without those of removed series.
    private mutating func compact(_ page: Int) {
        guard let current = pages[page] else { return }
        var pairs: [UInt32] = []
        pairs.reserveCapacity(current.pairs.count - current.garbage)
        for slot in 0..<Self.pageSize where current.series[slot] != nil {
            let start = Int(current.starts[slot])
            current.starts[slot] = UInt32(pairs.count)
            pairs.append(contentsOf: current.pairs[start..<start + Int(current.counts[slot]) * 2])
        }
        current.pairs = pairs
        current.garbage = 0
        pages[page] = current.series.contains { $0 != nil } ? current : nil
    }

    /// After series were removed: rebuilds the symbols when most of them are no longer used
    /// (label values of pods long gone), so churn does not grow the table without bound.
    /// `slack` symbols beyond four per held series are tolerated before a rebuild.
    mutating func dropUnusedSymbols(slack: Int = 4096) {
        guard strings.count > 4 * held + slack else { return }
        let oldStrings = strings
        strings = []
        ids = [:]
        for index in pages.indices {
            guard let page = pages[index] else { continue }
            var pairs: [UInt32] = []
            for slot in 0..<Self.pageSize where page.series[slot] != nil {
                let start = Int(page.starts[slot])
                page.starts[slot] = UInt32(pairs.count)
                for offset in 0..<Int(page.counts[slot]) * 2 {
                    pairs.append(symbol(oldStrings[Int(page.pairs[start + offset])]))
                }
            }
            page.pairs = pairs
            page.garbage = 0
            pages[index] = page.series.contains { $0 != nil } ? page : nil
        }
    }

    /// The series under `ref`, or nil when the table does not hold it.
    func get(_ ref: SeriesRef) -> MemSeries? {
        let (page, slot) = Self.position(ref)
        guard Self.covers(ref), page < pages.count, let held = pages[page] else { return nil }
        return held.series[slot]
    }

    /// Calls `body` with the label pairs (name id, value id, …) of each held series in `refs`;
    /// returns the refs the table does not cover.
    private func forEachPairs(_ refs: [SeriesRef], _ body: (ArraySlice<UInt32>) -> Void) -> [SeriesRef] {
        var uncovered: [SeriesRef] = []
        for ref in refs {
            guard Self.covers(ref) else { uncovered.append(ref); continue }
            let (page, slot) = Self.position(ref)
            guard page < pages.count, let held = pages[page], held.series[slot] != nil else { continue }
            let start = Int(held.starts[slot])
            body(held.pairs[start..<start + Int(held.counts[slot]) * 2])
        }
        return uncovered
    }

    /// The distinct values of label `name` among the series `refs`, unsorted, and the refs the
    /// table does not cover.
    func labelValues(_ name: String, refs: [SeriesRef]) -> (values: [String], uncovered: [SeriesRef]) {
        guard let nameID = ids[name] else {
            return ([], refs.filter { !Self.covers($0) })
        }
        var seen = [UInt64](repeating: 0, count: strings.count / 64 + 1)
        var found: [UInt32] = []
        let uncovered = forEachPairs(refs) { pairs in
            var index = pairs.startIndex
            while index < pairs.endIndex {
                if pairs[index] == nameID {
                    let value = pairs[index + 1]
                    let word = Int(value >> 6)
                    let bit = UInt64(1) << UInt64(value & 63)
                    if seen[word] & bit == 0 {
                        seen[word] |= bit
                        found.append(value)
                    }
                    return
                }
                index += 2
            }
        }
        return (found.map { strings[Int($0)] }, uncovered)
    }

    /// The distinct label names among the series `refs`, unsorted, and the refs the table does
    /// not cover.
    func labelNames(refs: [SeriesRef]) -> (names: [String], uncovered: [SeriesRef]) {
        var seen = Set<UInt32>()
        let uncovered = forEachPairs(refs) { pairs in
            var index = pairs.startIndex
            while index < pairs.endIndex {
                seen.insert(pairs[index])
                index += 2
            }
        }
        return (seen.map { strings[Int($0)] }, uncovered)
    }
}
