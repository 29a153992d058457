import VigilModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Go's `math.Pow` (libc's `pow`), under a name that does not clash with the operator case.
func libcPow(_ base: Double, _ exponent: Double) -> Double { pow(base, exponent) }

/// Aggregations, binary operators and `label_replace` over step vectors, with PromQL's
/// semantics (which LogQL shares).
enum VectorOperations {
    // MARK: Aggregation

    static func aggregate(_ aggregation: VectorAggregationExpr, _ input: [StepSeries], stepCount: Int) -> [StepSeries] {
        let operation = aggregation.operation
        if operation == "sort" || operation == "sort_desc" { return input }
        let grouping = aggregation.grouping ?? Grouping(without: false, labels: [])
        var groupIndex: [Labels: Int] = [:]
        var groupLabels: [Labels] = []
        var members: [[Int]] = []
        for (index, series) in input.enumerated() {
            let key = grouping.reduce(series.labels)
            if let existing = groupIndex[key] {
                members[existing].append(index)
            } else {
                groupIndex[key] = groupLabels.count
                groupLabels.append(key)
                members.append([index])
            }
        }
        if operation == "topk" || operation == "bottomk" {
            return selectK(input, members: members, k: aggregation.parameter ?? 1, top: operation == "topk", stepCount: stepCount)
        }
        var output: [StepSeries] = []
        for (group, indexes) in members.enumerated() {
            var count = [Double](repeating: 0, count: stepCount)
            var accumulator = [Double](repeating: 0, count: stepCount)
            var mean = [Double](repeating: 0, count: stepCount)
            var squares = [Double](repeating: 0, count: stepCount)
            for index in indexes {
                for point in input[index].points {
                    let step = point.step
                    let value = point.value
                    count[step] += 1
                    switch operation {
                    case "sum": accumulator[step] += value
                    case "min": accumulator[step] = count[step] == 1 || value < accumulator[step] || accumulator[step].isNaN ? value : accumulator[step]
                    case "max": accumulator[step] = count[step] == 1 || value > accumulator[step] || accumulator[step].isNaN ? value : accumulator[step]
                    case "avg", "stddev", "stdvar":
                        let delta = value - mean[step]
                        mean[step] += delta / count[step]
                        squares[step] += delta * (value - mean[step])
                    default: break
                    }
                }
            }
            var points: [StepPoint] = []
            for step in 0..<stepCount where count[step] > 0 {
                let value: Double
                switch operation {
                case "sum", "min", "max": value = accumulator[step]
                case "count": value = count[step]
                case "avg": value = mean[step]
                case "stdvar": value = squares[step] / count[step]
                case "stddev": value = (squares[step] / count[step]).squareRoot()
                default: continue
                }
                points.append(StepPoint(step: step, value: value))
            }
            if !points.isEmpty { output.append(StepSeries(labels: groupLabels[group], points: points)) }
        }
        return output
    }

    /// `topk`/`bottomk`: per step and group, the k largest (smallest) series keep their point.
    static func selectK(_ input: [StepSeries], members: [[Int]], k: Int, top: Bool, stepCount: Int) -> [StepSeries] {
        var kept = [[StepPoint]](repeating: [], count: input.count)
        for indexes in members {
            var byStep = [[(value: Double, series: Int)]](repeating: [], count: stepCount)
            for index in indexes {
                for point in input[index].points { byStep[point.step].append((point.value, index)) }
            }
            for (step, candidates) in byStep.enumerated() where !candidates.isEmpty {
                let ordered = candidates.sorted { lhs, rhs in
                    if lhs.value.isNaN { return false }
                    if rhs.value.isNaN { return true }
                    return top ? lhs.value > rhs.value : lhs.value < rhs.value
                }
                for candidate in ordered.prefix(k) { kept[candidate.series].append(StepPoint(step: step, value: candidate.value)) }
            }
        }
        var output: [StepSeries] = []
        for (index, points) in kept.enumerated() where !points.isEmpty {
            output.append(StepSeries(labels: input[index].labels, points: points.sorted { $0.step < $1.step }))
        }
        return output
    }

    // MARK: Binary operators

    static func binary(_ expr: BinaryExpr, _ lhs: StepValue, _ rhs: StepValue) throws(LogQLEngineError) -> StepValue {
        switch (lhs, rhs) {
        case (.scalar(let a), .scalar(let b)):
            let result = apply(expr.op, a, b)
            if expr.op.isComparison { return .scalar(result.holds ? 1 : 0) }
            return .scalar(result.value)
        case (.vector(let vector), .scalar(let scalar)):
            return .vector(vectorScalar(expr, vector, scalar, scalarOnRight: true))
        case (.scalar(let scalar), .vector(let vector)):
            return .vector(vectorScalar(expr, vector, scalar, scalarOnRight: false))
        case (.vector(let left), .vector(let right)):
            return .vector(try vectorVector(expr, left, right))
        }
    }

    static func apply(_ op: BinaryOperator, _ a: Double, _ b: Double) -> (value: Double, holds: Bool) {
        switch op {
        case .add: return (a + b, true)
        case .sub: return (a - b, true)
        case .mul: return (a * b, true)
        case .div: return (a / b, true)
        case .mod: return (a.truncatingRemainder(dividingBy: b), true)
        case .pow: return (libcPow(a, b), true)
        case .equal: return (a, a == b)
        case .notEqual: return (a, a != b)
        case .greater: return (a, a > b)
        case .greaterEqual: return (a, a >= b)
        case .less: return (a, a < b)
        case .lessEqual: return (a, a <= b)
        case .and, .or, .unless: return (a, true)
        }
    }

    static func vectorScalar(_ expr: BinaryExpr, _ vector: [StepSeries], _ scalar: Double, scalarOnRight: Bool) -> [StepSeries] {
        var output: [StepSeries] = []
        for series in vector {
            var points: [StepPoint] = []
            for point in series.points {
                let (a, b) = scalarOnRight ? (point.value, scalar) : (scalar, point.value)
                let result = apply(expr.op, a, b)
                if expr.op.isComparison {
                    if expr.returnBool {
                        points.append(StepPoint(step: point.step, value: result.holds ? 1 : 0))
                    } else if result.holds {
                        points.append(StepPoint(step: point.step, value: point.value))
                    }
                } else {
                    points.append(StepPoint(step: point.step, value: result.value))
                }
            }
            if !points.isEmpty { output.append(StepSeries(labels: series.labels, points: points)) }
        }
        return output
    }

    static func signature(_ labels: Labels, _ matching: VectorMatching?) -> Labels {
        guard let matching else { return labels }
        if matching.on { return Labels(labels.filter { matching.labels.contains($0.name) }) }
        return Labels(labels.filter { !matching.labels.contains($0.name) })
    }

    static func vectorVector(_ expr: BinaryExpr, _ left: [StepSeries], _ right: [StepSeries]) throws(LogQLEngineError) -> [StepSeries] {
        let matching = expr.matching
        switch expr.op {
        case .and, .or, .unless: return setOperation(expr.op, left, right, matching)
        default: break
        }
        let cardinality = matching?.cardinality ?? .oneToOne
        // The "one" side is indexed by signature and step.
        let (many, one) = cardinality == .oneToMany ? (right, left) : (left, right)
        var oneIndex: [Labels: [Int: (value: Double, labels: Labels)]] = [:]
        for series in one {
            let key = signature(series.labels, matching)
            for point in series.points {
                if oneIndex[key, default: [:]][point.step] != nil {
                    throw LogQLEngineError.badQuery(
                        "found duplicate series for the match group \(key.description) on the "
                            + (cardinality == .oneToMany ? "left" : "right")
                            + " hand-side of the operation; many-to-many matching not allowed: matching labels must be unique on one side")
                }
                oneIndex[key, default: [:]][point.step] = (point.value, series.labels)
            }
        }
        var output: [Labels: [StepPoint]] = [:]
        var order: [Labels] = []
        var seenOneToOne: [Labels: Set<Int>] = [:]
        for series in many {
            let key = signature(series.labels, matching)
            guard let matches = oneIndex[key] else { continue }
            for point in series.points {
                guard let other = matches[point.step] else { continue }
                let (a, b) = cardinality == .oneToMany ? (other.value, point.value) : (point.value, other.value)
                let result = apply(expr.op, a, b)
                let value: Double
                if expr.op.isComparison {
                    if expr.returnBool {
                        value = result.holds ? 1 : 0
                    } else {
                        guard result.holds else { continue }
                        value = a
                    }
                } else {
                    value = result.value
                }
                var labels: Labels
                if cardinality == .oneToOne {
                    labels = signature(series.labels, matching)
                    if matching == nil { labels = series.labels }
                    if !seenOneToOne[key, default: []].insert(point.step).inserted {
                        throw LogQLEngineError.badQuery(
                            "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                    }
                } else {
                    var builder = LabelsBuilder(series.labels)
                    for name in matching?.include ?? [] {
                        if let value = other.labels[name] { builder.set(name, value) } else { builder.remove(name) }
                    }
                    labels = builder.build()
                }
                if output[labels] == nil { order.append(labels) }
                output[labels, default: []].append(StepPoint(step: point.step, value: value))
            }
        }
        return order.map { StepSeries(labels: $0, points: output[$0]!.sorted { $0.step < $1.step }) }
    }

    static func setOperation(_ op: BinaryOperator, _ left: [StepSeries], _ right: [StepSeries], _ matching: VectorMatching?)
        -> [StepSeries]
    {
        var rightSteps: [Labels: Set<Int>] = [:]
        for series in right {
            rightSteps[signature(series.labels, matching), default: []].formUnion(series.points.map(\.step))
        }
        switch op {
        case .and, .unless:
            return left.compactMap { series in
                let steps = rightSteps[signature(series.labels, matching)] ?? []
                let points = series.points.filter { steps.contains($0.step) == (op == .and) }
                return points.isEmpty ? nil : StepSeries(labels: series.labels, points: points)
            }
        default:
            var leftSteps: [Labels: Set<Int>] = [:]
            for series in left {
                leftSteps[signature(series.labels, matching), default: []].formUnion(series.points.map(\.step))
            }
            var output = left
            for series in right {
                let steps = leftSteps[signature(series.labels, matching)] ?? []
                let points = series.points.filter { !steps.contains($0.step) }
                if !points.isEmpty { output.append(StepSeries(labels: series.labels, points: points)) }
            }
            return output
        }
    }

    // MARK: label_replace

    static func labelReplace(_ expr: LabelReplaceExpr, _ input: [StepSeries]) throws(LogQLEngineError) -> [StepSeries] {
        let regex: AnchoredRegex
        do { regex = try AnchoredRegex(expr.regex) } catch { throw LogQLEngineError.badQuery(error.description) }
        var output: [Labels: [StepPoint]] = [:]
        var order: [Labels] = []
        for series in input {
            var labels = series.labels
            let value = labels[expr.source] ?? ""
            if let match = try? regex.box.regex.wholeMatch(in: value) {
                let replaced = ReplacementExpansion.expand(expr.replacement, match: match)
                var builder = LabelsBuilder(labels)
                if replaced.isEmpty { builder.remove(expr.destination) } else { builder.set(expr.destination, replaced) }
                labels = builder.build()
            }
            if let existing = output[labels] {
                let steps = Set(existing.map(\.step))
                if series.points.contains(where: { steps.contains($0.step) }) {
                    throw LogQLEngineError.badQuery("vector cannot contain metrics with the same labelset")
                }
                output[labels] = (existing + series.points).sorted { $0.step < $1.step }
            } else {
                order.append(labels)
                output[labels] = series.points
            }
        }
        return order.map { StepSeries(labels: $0, points: output[$0]!) }
    }
}
