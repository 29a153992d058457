import VigilModel
import VigilTSDB

extension Evaluator {
    func evalCall(_ node: Call) throws(PromQLError) -> [Series] {
        let name = node.function.name
        let args = node.args.map(\.unwrappingParens)

        if name == "timestamp", case .vectorSelector(let selector) = args[0] {
            var series = try evalVectorSelector(selector, sampleTimestamps: true)
            for index in series.indices { series[index].labels = series[index].labels.withoutName }
            try checkUniqueLabels(series)
            return series
        }
        if name == "label_replace" { return try evalLabelReplace(args) }
        if name == "label_join" { return try evalLabelJoin(args) }

        if let matrixIndex = args.firstIndex(where: { $0.type == .matrix }), let function = RangeFunction(name: name) {
            return try evalRangeFunction(function, args: args, matrixIndex: matrixIndex)
        }

        var inputs: [[Series]] = []
        for arg in args {
            if arg.type == .string { inputs.append([]); continue }
            inputs.append(try evalSeries(arg))
        }
        return try rangeEval(inputs) { vectors, ts throws(PromQLError) in
            try callVectorFunction(name, vectors, args: args, ts: ts)
        }
    }

    // MARK: - Range-vector functions

    func evalRangeFunction(_ function: RangeFunction, args: [Expr], matrixIndex: Int) throws(PromQLError) -> [Series] {
        // Scalar arguments, one value per step.
        var scalarArgs: [[Double]] = Array(repeating: [], count: args.count)
        for (index, arg) in args.enumerated() where index != matrixIndex {
            scalarArgs[index] = try evalSeries(arg).first?.points.map(\.f) ?? []
        }

        let range: Int64
        let offset: Int64
        let at: Int64?
        var sources: [RawSeries] = []
        var stored: [StoredSeriesRef] = []
        switch args[matrixIndex] {
        case .matrixSelector(let selector):
            range = selector.rangeMilliseconds
            offset = selector.vectorSelector.offsetMilliseconds
            at = atTime(selector.vectorSelector.at)
            let firstRef = referenceTime(start, at: at, offset: offset)
            let lastRef = referenceTime(end, at: at, offset: offset)
            for item in try select(selector.vectorSelector.matchers, mint: firstRef - range, maxt: lastRef) {
                stored.append(StoredSeriesRef(item))
            }
        case .subquery(let subquery):
            range = subquery.rangeMilliseconds
            offset = subquery.offsetMilliseconds
            at = atTime(subquery.at)
            for series in try evalSubqueryInner(subquery) {
                sources.append(RawSeries(labels: series.labels, ts: series.points.map(\.t), vs: series.points.map(\.f)))
            }
        default:
            throw PromQLError(.internal, "unexpected argument type for a range function")
        }

        let keepName = function == .lastOverTime
        var result: [Series] = []
        var scalars = [Double](repeating: 0, count: args.count)
        let count = stored.isEmpty ? sources.count : stored.count
        for seriesIndex in 0..<count {
            try context.checkDone()
            let raw = stored.isEmpty ? sources[seriesIndex] : Evaluator.decode(stored[seriesIndex].series, dropStale: true)
            // resetsBefore[i]: how many samples up to i are below their predecessor. A window
            // without one lets rate and increase skip their reset scan (same result, same order
            // of additions, since there is nothing to add).
            var resetsBefore: [Int32] = []
            if function == .rate || function == .increase {
                resetsBefore = [Int32](repeating: 0, count: raw.vs.count)
                var resets: Int32 = 0
                for index in raw.vs.indices.dropFirst() {
                    if raw.vs[index] < raw.vs[index - 1] { resets += 1 }
                    resetsBefore[index] = resets
                }
            }
            let points = try raw.ts.withUnsafeBufferPointer { (times) throws(PromQLError) -> [Point] in
                try raw.vs.withUnsafeBufferPointer { (values) throws(PromQLError) -> [Point] in
                    var points: [Point] = []
                    var lo = 0
                    var hi = 0
                    var ts = start
                    var step = 0
                    let n = times.count
                    while ts <= end {
                        let ref = referenceTime(ts, at: at, offset: offset)
                        let mint = ref - range
                        while hi < n && times[hi] <= ref { hi += 1 }
                        while lo < hi && times[lo] < mint { lo += 1 }
                        if lo < hi {
                            if context.currentSamples + (hi - lo) > context.options.maxSamples { throw PromQLError.tooManySamples }
                            for index in args.indices where index != matrixIndex { scalars[index] = scalarArgs[index][step] }
                            var window = Window(
                                ts: times[lo..<hi], vs: values[lo..<hi], stepTime: ts, rangeStart: mint, rangeEnd: ref, range: range)
                            if !resetsBefore.isEmpty { window.mayHaveCounterResets = resetsBefore[hi - 1] != resetsBefore[lo] }
                            if let value = try function.evaluate(window, scalars: scalars) {
                                if points.isEmpty { points.reserveCapacity(numSteps - step) }
                                points.append(Point(t: ts, f: value))
                            }
                        }
                        ts += interval
                        step += 1
                    }
                    return points
                }
            }
            if !points.isEmpty {
                try context.addSamples(points.count)
                result.append(Series(labels: keepName ? raw.labels : raw.labels.withoutName, points: points))
            }
        }

        if function == .absentOverTime {
            let steps = numSteps
            if result.contains(where: { $0.points.count == steps }) { return [] }
            var found = Set<Int64>()
            for series in result { for point in series.points { found.insert(point.t) } }
            if found.count == steps { return [] }
            var points: [Point] = []
            var ts = start
            while ts <= end {
                if !found.contains(ts) { points.append(Point(t: ts, f: 1)) }
                ts += interval
            }
            return [Series(labels: absentLabels(args[matrixIndex]), points: points)]
        }
        try checkUniqueLabels(result)
        return result
    }

    // MARK: - Instant-vector functions

    func callVectorFunction(_ name: String, _ vectors: [[Sample]], args: [Expr], ts: Int64) throws(PromQLError) -> [Sample] {
        func simple(_ transform: (Double) -> Double) -> [Sample] {
            vectors[0].map { Sample(labels: $0.labels.withoutName, f: transform($0.f)) }
        }
        func scalar(_ index: Int) -> Double { vectors[index][0].f }

        switch name {
        case "abs": return simple { abs($0) }
        case "ceil": return simple { $0.rounded(.up) }
        case "floor": return simple { $0.rounded(.down) }
        case "exp": return simple(GoMath.exp)
        case "sqrt": return simple { $0.squareRoot() }
        case "ln": return simple(GoMath.log)
        case "log2": return simple(GoMath.log2)
        case "log10": return simple(GoMath.log10)
        case "sin": return simple(GoMath.sin)
        case "cos": return simple(GoMath.cos)
        case "tan": return simple(GoMath.tan)
        case "asin": return simple(GoMath.asin)
        case "acos": return simple(GoMath.acos)
        case "atan": return simple(GoMath.atan)
        case "sinh": return simple(GoMath.sinh)
        case "cosh": return simple(GoMath.cosh)
        case "tanh": return simple(GoMath.tanh)
        case "asinh": return simple(GoMath.asinh)
        case "acosh": return simple(GoMath.acosh)
        case "atanh": return simple(GoMath.atanh)
        case "rad": return simple { $0 * Double.pi / 180 }
        case "deg": return simple { $0 * 180 / Double.pi }
        case "sgn": return simple { $0 < 0 ? -1 : ($0 > 0 ? 1 : $0) }
        case "pi": return [Sample(labels: .empty, f: Double.pi)]
        case "time": return [Sample(labels: .empty, f: Double(ts) / 1000)]
        case "vector": return [Sample(labels: .empty, f: scalar(0))]
        case "scalar": return [Sample(labels: .empty, f: vectors[0].count == 1 ? vectors[0][0].f : .nan)]
        case "timestamp": return vectors[0].map { Sample(labels: $0.labels.withoutName, f: Double($0.t) / 1000) }
        case "clamp":
            let low = scalar(1)
            let high = scalar(2)
            if high < low { return [] }
            return simple { goMax(low, goMin(high, $0)) }
        case "clamp_max":
            let high = scalar(1)
            return simple { goMin(high, $0) }
        case "clamp_min":
            let low = scalar(1)
            return simple { goMax(low, $0) }
        case "round":
            let toNearest = args.count >= 2 ? scalar(1) : 1
            let inverse = 1.0 / toNearest
            return simple { ($0 * inverse + 0.5).rounded(.down) / inverse }
        case "sort":
            var out = vectors[0]
            GoSort.sort(&out) { GoSort.reverseValueLess($1.f, $0.f) }
            return out
        case "sort_desc":
            var out = vectors[0]
            GoSort.sort(&out) { GoSort.valueLess($1.f, $0.f) }
            return out
        case "sort_by_label", "sort_by_label_desc":
            var out = vectors[0]
            let descending = name == "sort_by_label_desc"
            if descending {
                GoSort.sort(&out) { GoSort.valueLess($1.f, $0.f) }
            } else {
                GoSort.sort(&out) { GoSort.reverseValueLess($1.f, $0.f) }
            }
            let names = args.dropFirst().compactMap { expr -> String? in
                if case .string(let literal) = expr { return literal.value }
                return nil
            }
            out = stableSorted(out) { a, b in
                for label in names {
                    let lhs = a.labels[label] ?? ""
                    let rhs = b.labels[label] ?? ""
                    if lhs == rhs { continue }
                    return naturalLess(lhs, rhs) != descending
                }
                return false
            }
            return out
        case "absent":
            if !vectors[0].isEmpty { return [] }
            return [Sample(labels: absentLabels(args[0]), f: 1)]
        case "histogram_quantile":
            return histogramQuantile(scalar(0), vectors[1])
        case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar", "histogram_fraction":
            return [] // Native histograms only; float samples are ignored.
        case "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year":
            let extract: (CivilTime) -> Double = switch name {
            case "day_of_month": { Double($0.day) }
            case "day_of_week": { Double($0.weekday) }
            case "day_of_year": { Double($0.dayOfYear) }
            case "days_in_month": { Double($0.daysInMonth) }
            case "hour": { Double($0.hour) }
            case "minute": { Double($0.minute) }
            case "month": { Double($0.month) }
            default: { Double($0.year) }
            }
            if args.isEmpty {
                return [Sample(labels: .empty, f: extract(CivilTime(unixSeconds: floorDiv(ts, 1000))))]
            }
            return simple { extract(CivilTime(unixSeconds: goInt64($0))) }
        default:
            throw PromQLError(.internal, "function \(name) is not implemented")
        }
    }

    // MARK: - Labels

    /// The labels `absent` / `absent_over_time` give: equality matchers of a selector argument.
    func absentLabels(_ expr: Expr) -> Labels {
        let matchers: [LabelMatcher]
        switch expr.unwrappingParens {
        case .vectorSelector(let selector): matchers = selector.matchers
        case .matrixSelector(let selector): matchers = selector.vectorSelector.matchers
        default: return .empty
        }
        var builder = LabelsBuilder()
        var has = Set<String>()
        for matcher in matchers where matcher.name != Labels.metricName {
            if matcher.type == .equal && !has.contains(matcher.name) {
                builder.set(matcher.name, matcher.value)
                has.insert(matcher.name)
            } else {
                builder.remove(matcher.name)
            }
        }
        return builder.build()
    }

    func stringArg(_ expr: Expr) -> String {
        if case .string(let literal) = expr.unwrappingParens { return literal.value }
        return ""
    }

    func evalLabelReplace(_ args: [Expr]) throws(PromQLError) -> [Series] {
        let destination = stringArg(args[1])
        let replacement = stringArg(args[2])
        let source = stringArg(args[3])
        let pattern = stringArg(args[4])
        guard let regex = LabelRegex(pattern: pattern) else {
            throw .execution("invalid regular expression in label_replace(): \(pattern)")
        }
        guard isValidLabelName(destination) else {
            throw .execution("invalid destination label name in label_replace(): \(destination)")
        }
        var series = try evalSeries(args[0])
        for index in series.indices {
            let value = series[index].labels[source] ?? ""
            if let groups = regex.match(value) {
                let expanded = regex.expand(replacement, groups: groups)
                series[index].labels = series[index].labels.setting(destination, to: expanded)
            }
        }
        try checkUniqueLabels(series)
        return series
    }

    func evalLabelJoin(_ args: [Expr]) throws(PromQLError) -> [Series] {
        let destination = stringArg(args[1])
        let separator = stringArg(args[2])
        var sources: [String] = []
        for arg in args.dropFirst(3) {
            let name = stringArg(arg)
            guard isValidLabelName(name) else { throw .execution("invalid source label name in label_join(): \(name)") }
            sources.append(name)
        }
        guard isValidLabelName(destination) else {
            throw .execution("invalid destination label name in label_join(): \(destination)")
        }
        var series = try evalSeries(args[0])
        for index in series.indices {
            var joined = ""
            for (position, name) in sources.enumerated() {
                if position > 0 { joined += separator }
                joined += series[index].labels[name] ?? ""
            }
            series[index].labels = series[index].labels.setting(destination, to: joined)
        }
        return series
    }
}

/// A stored series handle (kept separate so range functions decode one series at a time).
struct StoredSeriesRef {
    let series: StoredSeries
    init(_ series: StoredSeries) { self.series = series }
}

/// Go's `math.Max` / `math.Min`: NaN wins.
@inline(__always) func goMax(_ a: Double, _ b: Double) -> Double {
    if a.isNaN || b.isNaN { return .nan }
    if a == 0 && b == 0 { return a.sign == .minus ? b : a }
    return a > b ? a : b
}

@inline(__always) func goMin(_ a: Double, _ b: Double) -> Double {
    if a.isNaN || b.isNaN { return .nan }
    if a == 0 && b == 0 { return a.sign == .minus ? a : b }
    return a < b ? a : b
}

/// Go's `int64(f)` on amd64: truncation; NaN and out-of-range give the minimum.
func goInt64(_ value: Double) -> Int64 {
    if value.isNaN || value >= 9.223372036854775807e18 || value < -9.223372036854775808e18 { return .min }
    return Int64(value)
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

func stableSorted<T>(_ items: [T], by less: (T, T) -> Bool) -> [T] {
    items.enumerated().sorted { lhs, rhs in
        if less(lhs.element, rhs.element) { return true }
        if less(rhs.element, lhs.element) { return false }
        return lhs.offset < rhs.offset
    }.map(\.element)
}

/// Natural order (digits compared as numbers), as `natsort.Compare`.
func naturalLess(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    var i = 0, j = 0
    func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    while i < x.count && j < y.count {
        if isDigit(x[i]) && isDigit(y[j]) {
            var ei = i, ej = j
            while ei < x.count && isDigit(x[ei]) { ei += 1 }
            while ej < y.count && isDigit(y[ej]) { ej += 1 }
            let nx = x[i..<ei].drop { $0 == 48 }, ny = y[j..<ej].drop { $0 == 48 }
            if nx.count != ny.count { return nx.count < ny.count }
            if !nx.elementsEqual(ny) { return nx.lexicographicallyPrecedes(ny) }
            i = ei; j = ej
        } else {
            if x[i] != y[j] { return x[i] < y[j] }
            i += 1; j += 1
        }
    }
    return x.count - i < y.count - j
}
