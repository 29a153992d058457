import VigilModel

/// Per-group running state of one step (`groupedAggregation`).
struct GroupState {
    var seen = false
    var value = 0.0
    var mean = 0.0
    var count = 0
    var values: [Double] = []
}

extension Evaluator {
    /// The output labels of a group (`generateGroupingLabels`).
    static func groupingLabels(_ labels: Labels, grouping: [String], without: Bool) -> Labels {
        if without {
            let names = Set(grouping)
            var builder = LabelsBuilder()
            for label in labels where !names.contains(label.name) && label.name != Labels.metricName {
                builder.set(label.name, label.value)
            }
            return builder.build()
        }
        if grouping.isEmpty { return .empty }
        var builder = LabelsBuilder()
        for name in grouping {
            if let value = labels[name] { builder.set(name, value) }
        }
        return builder.build()
    }

    func evalAggregate(_ node: AggregateExpr) throws(PromQLError) -> [Series] {
        let grouping = node.grouping.sorted { ByteOrder.less($0, $1) }
        if node.op == .countValues {
            guard case .string(let literal)? = node.param?.unwrappingParens else {
                throw PromQLError(.internal, "count_values without a string parameter")
            }
            let valueLabel = literal.value
            guard isValidLabelName(valueLabel) else {
                throw .execution("invalid label name \(GoQuote.quote(valueLabel))")
            }
            var countGrouping = grouping
            if !node.without { countGrouping.append(valueLabel) }
            let input = try evalSeries(node.expr)
            return try rangeEval([input]) { vectors, _ in
                var order: [Labels] = []
                var counts: [Labels: Int] = [:]
                for sample in vectors[0] {
                    let metric = sample.labels.setting(valueLabel, to: formatFloatF(sample.f))
                    let group = Evaluator.groupingLabels(metric, grouping: countGrouping, without: node.without)
                    if let count = counts[group] {
                        counts[group] = count + 1
                    } else {
                        counts[group] = 1
                        order.append(group)
                    }
                }
                return order.map { Sample(labels: $0, f: Double(counts[$0]!)) }
            }
        }

        var parameter = 0.0
        if let param = node.param {
            let series = try evalSeries(param)
            parameter = series.first?.points.first?.f ?? 0
        }
        let input = try evalSeries(node.expr)

        var groupIndex: [Labels: Int] = [:]
        var groupLabels: [Labels] = []
        var seriesGroup = [Int](repeating: 0, count: input.count)
        for (index, series) in input.enumerated() {
            let labels = Evaluator.groupingLabels(series.labels, grouping: grouping, without: node.without)
            if let existing = groupIndex[labels] {
                seriesGroup[index] = existing
            } else {
                groupIndex[labels] = groupLabels.count
                seriesGroup[index] = groupLabels.count
                groupLabels.append(labels)
            }
        }

        if node.op == .topk || node.op == .bottomk {
            guard parameter.isFinite || parameter.isNaN, abs(parameter) < 9.2e18 else {
                throw .execution("Scalar value \(goFormatV(parameter)) overflows int64")
            }
            var k = parameter.isNaN ? Int.min : Int(parameter)
            if k > input.count { k = input.count }
            if k < 1 { return [] }
            return try aggregateK(node.op == .topk, k: k, input: input, seriesGroup: seriesGroup, groupCount: groupLabels.count)
        }
        if node.op == .quantile && (parameter.isNaN || parameter < 0 || parameter > 1) {
            context.warnings.append("PromQL warning: quantile value should be between 0 and 1, got \(goFormatV(parameter))")
        }

        var outputs = groupLabels.map { Series(labels: $0, points: []) }
        var groups = [GroupState](repeating: GroupState(), count: groupLabels.count)
        var cursors = [Int](repeating: 0, count: input.count)
        let op = node.op
        var ts = start
        var step = 0
        while ts <= end {
            if step & 63 == 0 { try context.checkDone() }
            for index in groups.indices { groups[index].seen = false }
            for si in input.indices {
                let cursor = cursors[si]
                let points = input[si].points
                guard cursor < points.count, points[cursor].t == ts else { continue }
                cursors[si] = cursor + 1
                let f = points[cursor].f
                let gi = seriesGroup[si]
                if !groups[gi].seen {
                    var state = GroupState(seen: true, value: f, mean: f, count: 1)
                    switch op {
                    case .stddev, .stdvar: state.value = 0
                    case .quantile: state.values = groups[gi].values; state.values.removeAll(keepingCapacity: true); state.values.append(f)
                    case .group: state.value = 1
                    default: break
                    }
                    groups[gi] = state
                    continue
                }
                switch op {
                case .sum:
                    groups[gi].value += f
                case .avg:
                    groups[gi].count += 1
                    let mean = groups[gi].mean
                    if mean.isInfinite {
                        if f.isInfinite && (mean > 0) == (f > 0) { break }
                        if !f.isInfinite && !f.isNaN { break }
                    }
                    let n = Double(groups[gi].count)
                    groups[gi].mean += f / n - mean / n
                case .group:
                    break
                case .max:
                    if groups[gi].value < f || groups[gi].value.isNaN { groups[gi].value = f }
                case .min:
                    if groups[gi].value > f || groups[gi].value.isNaN { groups[gi].value = f }
                case .count:
                    groups[gi].count += 1
                case .stddev, .stdvar:
                    groups[gi].count += 1
                    let delta = f - groups[gi].mean
                    groups[gi].mean += delta / Double(groups[gi].count)
                    groups[gi].value += delta * (f - groups[gi].mean)
                case .quantile:
                    groups[gi].values.append(f)
                case .topk, .bottomk, .countValues:
                    break
                }
            }
            for gi in groups.indices where groups[gi].seen {
                let state = groups[gi]
                let value: Double = switch op {
                case .avg: state.mean
                case .count: Double(state.count)
                case .stdvar: state.value / Double(state.count)
                case .stddev: (state.value / Double(state.count)).squareRoot()
                case .quantile: quantile(parameter, state.values)
                default: state.value
                }
                if outputs[gi].points.isEmpty { outputs[gi].points.reserveCapacity(numSteps - step) }
                outputs[gi].points.append(Point(t: ts, f: value))
            }
            ts += interval
            step += 1
        }
        return outputs.filter { !$0.points.isEmpty }
    }

    /// `topk` / `bottomk` (`aggregationK`): for instant queries, the groups in order of first
    /// appearance, each sorted by value (descending for `topk`).
    func aggregateK(_ top: Bool, k: Int, input: [Series], seriesGroup: [Int], groupCount: Int) throws(PromQLError) -> [Series] {
        let less: ((Double, Int), (Double, Int)) -> Bool =
            top ? { GoSort.valueLess($0.0, $1.0) } : { GoSort.reverseValueLess($0.0, $1.0) }
        var cursors = [Int](repeating: 0, count: input.count)
        var outputIndex: [Labels: Int] = [:]
        var result: [Series] = []
        var ts = start
        while ts <= end {
            var heaps = [GoHeap<(Double, Int)>?](repeating: nil, count: groupCount)
            for si in input.indices {
                let cursor = cursors[si]
                let points = input[si].points
                guard cursor < points.count, points[cursor].t == ts else { continue }
                cursors[si] = cursor + 1
                let f = points[cursor].f
                let gi = seriesGroup[si]
                guard var heap = heaps[gi] else {
                    heaps[gi] = GoHeap(items: [(f, si)], less: less)
                    continue
                }
                heaps[gi] = nil
                if heap.items.count < k {
                    heap.push((f, si))
                } else {
                    let root = heap.items[0].0
                    let replace = top ? (root < f || (root.isNaN && !f.isNaN)) : (root > f || (root.isNaN && !f.isNaN))
                    if replace {
                        heap.items[0] = (f, si)
                        if k > 1 { heap.fix(0) }
                    }
                }
                heaps[gi] = heap
            }
            for heap in heaps {
                guard var items = heap?.items else { continue }
                if items.count > 1 { GoSort.sort(&items) { less($1, $0) } }
                for (f, si) in items {
                    let labels = input[si].labels
                    if isInstant {
                        result.append(Series(labels: labels, points: [Point(t: ts, f: f)]))
                    } else if let index = outputIndex[labels] {
                        result[index].points.append(Point(t: ts, f: f))
                    } else {
                        outputIndex[labels] = result.count
                        result.append(Series(labels: labels, points: [Point(t: ts, f: f)]))
                    }
                }
            }
            ts += interval
        }
        return result
    }
}

/// `quantile` over a set of values (φ-quantile with linear interpolation; NaN sorts first).
func quantile(_ q: Double, _ input: [Double]) -> Double {
    if input.isEmpty || q.isNaN { return .nan }
    if q < 0 { return -.infinity }
    if q > 1 { return .infinity }
    var values = input
    values.sort { GoSort.valueLess($0, $1) && !($0.isNaN && $1.isNaN) }
    let n = Double(values.count)
    let rank = q * (n - 1)
    let lower = max(0, rank.rounded(.down))
    let upper = min(n - 1, lower + 1)
    let weight = rank - rank.rounded(.down)
    return values[Int(lower)] * (1 - weight) + values[Int(upper)] * weight
}

/// Whether `name` is a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`).
func isValidLabelName(_ name: String) -> Bool {
    guard !name.isEmpty else { return false }
    for (index, byte) in name.utf8.enumerated() {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): continue
        case UInt8(ascii: "0")...UInt8(ascii: "9") where index > 0: continue
        default: return false
        }
    }
    return true
}
