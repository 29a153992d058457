import VigilModel

/// The head's series (and their labels) by ref in pages of 4,096 slots, beside the lock-striped maps.
///
/// Queries resolve postings (ascending refs) to series by the thousand. Through the striped hash
/// maps every lookup lands on a random bucket and a random object; here consecutive refs sit in
/// consecutive slots, so a batch reads memory in order and the series objects, allocated in ref
/// order, tend to follow one another too. Refs too large for the table (a WAL from a store with
/// billions of series created over its life) are simply not kept; readers fall back to the maps.
struct SeriesTable: ~Copyable {
    private static let pageBits = 12
    private static let pageSize = 1 << pageBits
    /// Pages beyond this (2^36 refs) are not kept.
    private static let maxPages = 1 << 24
    private var pages: [[MemSeries?]] = []
    /// The same slots' label sets, so label lookups skip the series objects (one memory
    /// indirection fewer per series).
    private var labelPages: [[Labels]] = []

    init() {}

    /// Stores `series` under `ref` (nil clears the slot).
    mutating func set(_ ref: SeriesRef, _ series: MemSeries?) {
        let page = Int(truncatingIfNeeded: ref >> UInt64(Self.pageBits))
        guard ref >> UInt64(Self.pageBits) < UInt64(Self.maxPages) else { return }
        let slot = Int(truncatingIfNeeded: ref) & (Self.pageSize - 1)
        if page >= pages.count {
            guard series != nil else { return }
            pages.append(contentsOf: repeatElement([], count: page - pages.count + 1))
            labelPages.append(contentsOf: repeatElement([], count: page - labelPages.count + 1))
        }
        if pages[page].isEmpty {
            guard series != nil else { return }
            pages[page] = [MemSeries?](repeating: nil, count: Self.pageSize)
            labelPages[page] = [Labels](repeating: .empty, count: Self.pageSize)
        }
        pages[page][slot] = series
        labelPages[page][slot] = series?.labels ?? .empty
    }

    /// The labels of the series under `ref`, or nil when the table does not hold it.
    func labels(_ ref: SeriesRef) -> Labels? {
        let page = ref >> UInt64(Self.pageBits)
        guard page < UInt64(labelPages.count) else { return nil }
        let slot = Int(truncatingIfNeeded: ref) & (Self.pageSize - 1)
        let labels = labelPages[Int(page)]
        guard !labels.isEmpty, pages[Int(page)][slot] != nil else { return nil }
        return labels[slot]
    }

    /// The series under `ref`, or nil when the table does not hold it.
    func get(_ ref: SeriesRef) -> MemSeries? {
        let page = ref >> UInt64(Self.pageBits)
        guard page < UInt64(pages.count) else { return nil }
        let slots = pages[Int(page)]
        guard !slots.isEmpty else { return nil }
        return slots[Int(truncatingIfNeeded: ref) & (Self.pageSize - 1)]
    }

    /// Whether a ref is small enough for the table to hold it.
    static func covers(_ ref: SeriesRef) -> Bool {
        ref >> UInt64(pageBits) < UInt64(maxPages)
    }
}
