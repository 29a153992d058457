public import VigilExposition

/// The scrape hot loop, as Benchmarks/ measures it: parse, look the series up by its raw bytes,
/// materialise labels only on a miss. Returns the number of samples.
public func parseAll<P: ExpositionParser>(_ parser: inout P, cache: inout SeriesCache<Int>) throws(ExpositionError) -> Int {
    var samples = 0
    while let entry = try parser.next() {
        guard entry == .series else { continue }
        samples += 1
        if cache.entryIndex(forKey: parser.series) == nil {
            let labels = parser.labels()
            cache.updateValue(labels.count, forKey: parser.series)
        }
    }
    return samples
}
