public import VigilModel

/// A ``Querier`` over several others (head and blocks): series with equal labels are merged
/// sample-wise; on equal timestamps the earlier querier's sample wins.
public struct MergeQuerier: Querier {
    /// The queriers, in priority order.
    public let queriers: [any Querier]

    /// A querier merging `queriers` (earlier ones win on equal timestamps).
    public init(_ queriers: [any Querier]) {
        self.queriers = queriers
    }

    /// See ``Querier/select(_:mint:maxt:)``.
    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [StoredSeries] {
        if queriers.count == 1 { return try queriers[0].select(matchers, mint: mint, maxt: maxt) }
        var lists: [[StoredSeries]] = []
        for querier in queriers { lists.append(try querier.select(matchers, mint: mint, maxt: maxt)) }
        // k-way merge of sorted lists, grouping equal label sets.
        var positions = [Int](repeating: 0, count: lists.count)
        var result: [StoredSeries] = []
        while true {
            var smallest: Labels?
            for (index, list) in lists.enumerated() where positions[index] < list.count {
                let labels = list[positions[index]].labels
                if smallest == nil || labels < smallest! { smallest = labels }
            }
            guard let smallest else { break }
            var group: [StoredSeries] = []
            for index in lists.indices where positions[index] < lists[index].count && lists[index][positions[index]].labels == smallest {
                group.append(lists[index][positions[index]])
                positions[index] += 1
            }
            result.append(StoredSeries.merging(group))
        }
        return result
    }

    /// See ``Querier/seriesLabels(_:mint:maxt:)``.
    public func seriesLabels(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [Labels] {
        var lists: [[Labels]] = []
        for querier in queriers {
            let labels = try querier.seriesLabels(matchers, mint: mint, maxt: maxt)
            if !labels.isEmpty { lists.append(labels) }
        }
        if lists.count <= 1 { return lists.first ?? [] }
        var positions = [Int](repeating: 0, count: lists.count)
        var result: [Labels] = []
        while true {
            var smallest: Labels?
            for (index, list) in lists.enumerated() where positions[index] < list.count {
                let labels = list[positions[index]]
                if smallest == nil || labels < smallest! { smallest = labels }
            }
            guard let smallest else { return result }
            result.append(smallest)
            for index in lists.indices where positions[index] < lists[index].count && lists[index][positions[index]] == smallest {
                positions[index] += 1
            }
        }
    }

    /// See ``Querier/labelNames(matchers:mint:maxt:)``.
    public func labelNames(matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [String] {
        var lists: [[String]] = []
        for querier in queriers { lists.append(try querier.labelNames(matchers: matchers, mint: mint, maxt: maxt)) }
        return ByteOrder.mergeSorted(lists)
    }

    /// See ``Querier/labelValues(_:matchers:mint:maxt:)``.
    public func labelValues(_ name: String, matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [String] {
        var lists: [[String]] = []
        for querier in queriers { lists.append(try querier.labelValues(name, matchers: matchers, mint: mint, maxt: maxt)) }
        return ByteOrder.mergeSorted(lists)
    }
}
