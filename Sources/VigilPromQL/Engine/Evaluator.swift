import VigilModel
import VigilTSDB

/// A point of an evaluated series: a step time (or sample time) and a float value.
struct Point {
    var t: Int64
    var f: Double
}

/// An evaluated series (`promql.Series`, floats only).
struct Series {
    var labels: Labels
    var points: [Point]
}

/// One element of an instant vector at one step. `t` is the sample's own timestamp where that
/// matters (`timestamp()`), `origin` the index of the input series it came from.
struct Sample {
    var labels: Labels
    var f: Double
    var t: Int64 = 0
    var origin: Int = 0
}

/// What `eval` produces: every non-string expression evaluates to a matrix over the steps
/// (scalars are one series without labels), as in Prometheus's range evaluation.
enum EvalValue {
    case matrix([Series])
    case string(String)
}

/// Decoded samples of one stored series.
struct RawSeries {
    var labels: Labels
    var ts: [Int64]
    var vs: [Double]
}

/// State shared by an evaluation and its subquery evaluators.
final class EvalContext {
    let querier: any Querier
    let options: EngineOptions
    /// The top-level query's start and end, for `@ start()` / `@ end()`.
    let queryStart: Int64
    let queryEnd: Int64
    let deadline: ContinuousClock.Instant
    var currentSamples = 0
    var warnings: [String] = []
    var checkCounter = 0

    init(querier: any Querier, options: EngineOptions, queryStart: Int64, queryEnd: Int64) {
        self.querier = querier
        self.options = options
        self.queryStart = queryStart
        self.queryEnd = queryEnd
        self.deadline = ContinuousClock.now.advanced(by: .milliseconds(options.timeout))
    }

    /// Throws when the deadline passed or the task was cancelled (checked cheaply).
    func checkDone() throws(PromQLError) {
        if Task.isCancelled { throw PromQLError.canceled }
        if ContinuousClock.now > deadline { throw PromQLError.timeout }
    }

    func addSamples(_ count: Int) throws(PromQLError) {
        currentSamples += count
        if currentSamples > options.maxSamples { throw PromQLError.tooManySamples }
    }
}

/// Evaluates expressions over the steps `start...end` by `interval` (`promql.evaluator`).
struct Evaluator {
    let start: Int64
    let end: Int64
    let interval: Int64
    let context: EvalContext

    var numSteps: Int { Int((end - start) / interval) + 1 }
    var isInstant: Bool { start == end }

    func eval(_ expr: Expr) throws(PromQLError) -> EvalValue {
        try context.checkDone()
        switch expr {
        case .paren(let node):
            return try eval(node.expr)
        case .number(let node):
            return .matrix([constantSeries(node.value)])
        case .string(let node):
            return .string(node.value)
        case .vectorSelector(let selector):
            return .matrix(try evalVectorSelector(selector, sampleTimestamps: false))
        case .matrixSelector(let selector):
            return .matrix(try evalMatrixSelectorRaw(selector))
        case .subquery(let subquery):
            return .matrix(try evalSubqueryInner(subquery))
        case .unary(let node):
            var series = try evalSeries(node.expr)
            if node.op == .minus {
                for index in series.indices {
                    series[index].labels = series[index].labels.withoutName
                    for p in series[index].points.indices { series[index].points[p].f = -series[index].points[p].f }
                }
                try checkUniqueLabels(series)
            }
            return .matrix(series)
        case .binary(let node):
            return .matrix(try evalBinary(node))
        case .aggregate(let node):
            return .matrix(try evalAggregate(node))
        case .call(let node):
            return .matrix(try evalCall(node))
        }
    }

    func evalSeries(_ expr: Expr) throws(PromQLError) -> [Series] {
        switch try eval(expr) {
        case .matrix(let series): return series
        case .string: throw PromQLError(.internal, "unexpected string value")
        }
    }

    func constantSeries(_ value: Double) -> Series {
        var points: [Point] = []
        points.reserveCapacity(numSteps)
        var ts = start
        while ts <= end {
            points.append(Point(t: ts, f: value))
            ts += interval
        }
        return Series(labels: .empty, points: points)
    }

    func checkUniqueLabels(_ series: [Series]) throws(PromQLError) {
        guard series.count > 1 else { return }
        var seen = Set<Labels>(minimumCapacity: series.count)
        for item in series where !seen.insert(item.labels).inserted { throw PromQLError.sameLabelset }
    }

    // MARK: - Time resolution

    func atTime(_ at: AtModifier?) -> Int64? {
        switch at {
        case nil: nil
        case .timestamp(let t): t
        case .start: context.queryStart
        case .end: context.queryEnd
        }
    }

    /// The reference time of a selector at step `ts`: `@` (when given) or the step, minus offset.
    @inline(__always)
    func referenceTime(_ ts: Int64, at: Int64?, offset: Int64) -> Int64 {
        (at ?? ts) - offset
    }

    // MARK: - Selection

    /// Selects once for `[mint, maxt]` and decodes each series; `dropStale` removes staleness
    /// markers (range windows never contain them).
    func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(PromQLError) -> [StoredSeries] {
        do {
            return try context.querier.select(matchers, mint: mint, maxt: maxt)
        } catch {
            throw PromQLError(.internal, "expanding series: \(error)")
        }
    }

    static func decode(_ stored: StoredSeries, dropStale: Bool) -> RawSeries {
        var ts: [Int64] = []
        var vs: [Double] = []
        stored.decode(into: &ts, &vs)
        if dropStale, let firstStale = vs.firstIndex(where: isStaleNaN) {
            var write = firstStale
            for read in firstStale..<vs.count where !isStaleNaN(vs[read]) {
                ts[write] = ts[read]
                vs[write] = vs[read]
                write += 1
            }
            ts.removeSubrange(write...)
            vs.removeSubrange(write...)
        }
        return RawSeries(labels: stored.labels, ts: ts, vs: vs)
    }

    /// An instant selector over all steps (`vectorSelectorSingle` per step). With
    /// `sampleTimestamps`, each point's value is the sample's own time in seconds (`timestamp()`).
    func evalVectorSelector(_ selector: VectorSelector, sampleTimestamps: Bool) throws(PromQLError) -> [Series] {
        let at = atTime(selector.at)
        let offset = selector.offsetMilliseconds
        let lookback = context.options.lookbackDelta
        let firstRef = referenceTime(start, at: at, offset: offset)
        let lastRef = referenceTime(end, at: at, offset: offset)
        let stored = try select(selector.matchers, mint: firstRef - lookback, maxt: lastRef)
        var result: [Series] = []
        result.reserveCapacity(stored.count)
        for item in stored {
            try context.checkDone()
            let raw = Evaluator.decode(item, dropStale: false)
            var points: [Point] = []
            var cursor = 0 // index of the first sample after the reference time
            var ts = start
            while ts <= end {
                let ref = referenceTime(ts, at: at, offset: offset)
                while cursor < raw.ts.count && raw.ts[cursor] <= ref { cursor += 1 }
                if cursor > 0 {
                    let t = raw.ts[cursor - 1]
                    let v = raw.vs[cursor - 1]
                    if t >= ref - lookback && !isStaleNaN(v) {
                        if points.isEmpty { points.reserveCapacity(numSteps) }
                        points.append(Point(t: ts, f: sampleTimestamps ? Double(t) / 1000 : v))
                        try context.addSamples(1)
                    }
                }
                ts += interval
            }
            if !points.isEmpty { result.append(Series(labels: raw.labels, points: points)) }
        }
        return result
    }

    /// A range selector evaluated on its own (only for instant queries): the raw samples of
    /// `[t - range, t]`, names kept.
    func evalMatrixSelectorRaw(_ selector: MatrixSelector) throws(PromQLError) -> [Series] {
        let vs = selector.vectorSelector
        let ref = referenceTime(start, at: atTime(vs.at), offset: vs.offsetMilliseconds)
        let stored = try select(vs.matchers, mint: ref - selector.rangeMilliseconds, maxt: ref)
        var result: [Series] = []
        for item in stored {
            let raw = Evaluator.decode(item, dropStale: true)
            var points: [Point] = []
            for index in raw.ts.indices where raw.ts[index] >= ref - selector.rangeMilliseconds && raw.ts[index] <= ref {
                points.append(Point(t: raw.ts[index], f: raw.vs[index]))
            }
            try context.addSamples(points.count)
            if !points.isEmpty { result.append(Series(labels: raw.labels, points: points)) }
        }
        return result
    }

    /// The inner evaluation of a subquery: its own steps, aligned to multiples of its step.
    func evalSubqueryInner(_ subquery: SubqueryExpr) throws(PromQLError) -> [Series] {
        let step = subquery.stepMilliseconds != 0 ? subquery.stepMilliseconds : context.options.defaultSubqueryStep
        let offset = subquery.offsetMilliseconds
        let range = subquery.rangeMilliseconds
        let outerStart: Int64
        let outerEnd: Int64
        if let at = atTime(subquery.at) {
            outerStart = at
            outerEnd = at
        } else {
            outerStart = start
            outerEnd = end
        }
        let lowest = outerStart - offset - range
        var innerStart = step * (lowest / step)
        if innerStart < lowest { innerStart += step }
        let inner = Evaluator(start: innerStart, end: outerEnd - offset, interval: step, context: context)
        if inner.end < inner.start { return [] }
        return try inner.evalSeries(subquery.expr)
    }

    // MARK: - Step-wise evaluation

    /// Evaluates `args` over all steps, hands `body` the instant vectors (or scalars, as
    /// one-sample vectors) of each step, and assembles the output series (`rangeEval`).
    func rangeEval(
        _ args: [[Series]], _ body: (_ vectors: [[Sample]], _ ts: Int64) throws(PromQLError) -> [Sample]
    ) throws(PromQLError) -> [Series] {
        var cursors = args.map { [Int](repeating: 0, count: $0.count) }
        var vectors = args.map { _ in [Sample]() }
        var outputIndex: [Labels: Int] = [:]
        var lastStep: [Int] = []
        var result: [Series] = []
        var ts = start
        var step = 0
        let baseSamples = context.currentSamples
        while ts <= end {
            if step & 63 == 0 { try context.checkDone() }
            var stepSamples = 0
            for argument in args.indices {
                vectors[argument].removeAll(keepingCapacity: true)
                for (index, series) in args[argument].enumerated() {
                    let cursor = cursors[argument][index]
                    if cursor < series.points.count && series.points[cursor].t == ts {
                        vectors[argument].append(Sample(labels: series.labels, f: series.points[cursor].f, t: ts, origin: index))
                        cursors[argument][index] = cursor + 1
                        stepSamples += 1
                    }
                }
            }
            if baseSamples + stepSamples + result.count > context.options.maxSamples { throw PromQLError.tooManySamples }
            let output = try body(vectors, ts)
            if isInstant {
                var seen = Set<Labels>(minimumCapacity: output.count)
                for sample in output where !seen.insert(sample.labels).inserted { throw PromQLError.sameLabelset }
                return output.map { Series(labels: $0.labels, points: [Point(t: ts, f: $0.f)]) }
            }
            for sample in output {
                if let index = outputIndex[sample.labels] {
                    if lastStep[index] == step { throw PromQLError.sameLabelset }
                    lastStep[index] = step
                    result[index].points.append(Point(t: ts, f: sample.f))
                } else {
                    outputIndex[sample.labels] = result.count
                    lastStep.append(step)
                    var points: [Point] = []
                    points.reserveCapacity(numSteps - step)
                    points.append(Point(t: ts, f: sample.f))
                    result.append(Series(labels: sample.labels, points: points))
                }
            }
            ts += interval
            step += 1
        }
        return result
    }
}

extension Expr {
    /// The expression without enclosing parentheses.
    var unwrappingParens: Expr {
        var expr = self
        while case .paren(let node) = expr { expr = node.expr }
        return expr
    }
}
