public import VigilModel

/// Read access to stored series: the seam between storage (head, blocks) and PromQL / the API.
///
/// All time ranges are inclusive milliseconds. Results are sorted (series by labels in
/// Prometheus's order, names and values by bytes).
public protocol Querier: Sendable {
    /// The series all `matchers` select that have samples in `[mint, maxt]`, sorted by labels.
    /// No matchers select nothing.
    func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [StoredSeries]
    /// Label names of the series `matchers` select (all series when empty), sorted.
    func labelNames(matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [String]
    /// Values of label `name` among the series `matchers` select (all when empty), sorted.
    func labelValues(_ name: String, matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [String]
    /// The label sets of the series ``select(_:mint:maxt:)`` would return, sorted, without
    /// preparing their chunks (`/api/v1/series`).
    func seriesLabels(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [Labels]
}

extension Querier {
    /// See ``Querier/seriesLabels(_:mint:maxt:)``: by default the labels of ``select(_:mint:maxt:)``.
    public func seriesLabels(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [Labels] {
        try select(matchers, mint: mint, maxt: maxt).map(\.labels)
    }
}

/// Byte-wise string order, the order Prometheus sorts names and values in.
func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
    ByteOrder.less(lhs, rhs)
}

extension Array where Element == String {
    /// A byte-sorted list without its repeats (equal by bytes, as Go compares strings).
    func removingAdjacentDuplicates() -> [String] {
        guard count > 1 else { return self }
        var result: [String] = []
        result.reserveCapacity(count)
        for value in self where result.isEmpty || ByteOrder.compare(result[result.count - 1], value) != 0 {
            result.append(value)
        }
        return result
    }
}
