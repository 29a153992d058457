import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import VigilModel

/// Evaluates metric queries step by step over samples extracted from log lines.
struct MetricEvaluator {
    let source: any LogSource

    /// Evaluates `expr` and shapes the answer: points at step times, no empty series, sorted
    /// by labels (or by value for `sort`/`sort_desc`/`topk`/`bottomk` of an instant query), and
    /// the series limit applied.
    func evaluateTop(_ expr: MetricExpr, _ context: inout EvaluationContext) async throws -> [MetricSeries] {
        let value = try await evaluate(expr, &context)
        let steps = context.steps
        var series: [MetricSeries]
        switch value {
        case .scalar(let number):
            series = [MetricSeries(labels: Labels(), points: (0..<steps.count).map { MetricPoint(timestamp: steps.time($0), value: number) })]
        case .vector(let vector):
            series = vector.filter { !$0.points.isEmpty }.map { item in
                MetricSeries(labels: item.labels, points: item.points.map { MetricPoint(timestamp: steps.time($0.step), value: $0.value) })
            }
        }
        guard series.count <= context.limits.maxSeries else { throw LogQLEngineError.seriesLimit(context.limits.maxSeries) }
        if steps.step == 0, case .vectorAggregation(let aggregation) = expr,
            ["sort", "sort_desc", "topk", "bottomk"].contains(aggregation.operation)
        {
            let descending = aggregation.operation == "sort_desc" || aggregation.operation == "topk"
            series.sort { lhs, rhs in
                let (a, b) = (lhs.points[0].value, rhs.points[0].value)
                if a == b || (a.isNaN && b.isNaN) { return lhs.labels < rhs.labels }
                if a.isNaN { return false }
                if b.isNaN { return true }
                return descending ? a > b : a < b
            }
        } else {
            series.sort { $0.labels < $1.labels }
        }
        return series
    }

    func evaluate(_ expr: MetricExpr, _ context: inout EvaluationContext) async throws -> StepValue {
        try context.checkDeadline()
        switch expr {
        case .number(let value): return .scalar(value)
        case .vector(let value):
            return .vector([StepSeries(labels: Labels(), points: (0..<context.steps.count).map { StepPoint(step: $0, value: value) })])
        case .rangeAggregation(let aggregation):
            return .vector(try await rangeAggregation(aggregation, reducer: nil, &context))
        case .vectorAggregation(let aggregation):
            if aggregation.operation == "sum", case .rangeAggregation(let inner) = aggregation.inner, inner.grouping == nil,
                Self.pushable.contains(inner.function)
            {
                // Summing counts over a grouping equals counting within the grouping: reduce each
                // line's labels to the group first, so only as many series exist as groups.
                let grouping = aggregation.grouping ?? Grouping(without: false, labels: [])
                let series = try await rangeAggregation(inner, reducer: grouping, &context)
                return .vector(VectorOperations.aggregate(aggregation, series, stepCount: context.steps.count))
            }
            guard case .vector(let inner) = try await evaluate(aggregation.inner, &context) else {
                throw LogQLEngineError.badQuery("unexpected literal for aggregation \(aggregation.operation)")
            }
            return .vector(VectorOperations.aggregate(aggregation, inner, stepCount: context.steps.count))
        case .binary(let binary):
            let lhs = try await evaluate(binary.lhs, &context)
            let rhs = try await evaluate(binary.rhs, &context)
            return try VectorOperations.binary(binary, lhs, rhs)
        case .labelReplace(let replace):
            guard case .vector(let inner) = try await evaluate(replace.inner, &context) else {
                throw LogQLEngineError.badQuery("label_replace needs a vector")
            }
            return .vector(try VectorOperations.labelReplace(replace, inner))
        }
    }

    /// Stored blocks grouped per round: sixteen per core, so the threads stay busy between
    /// rounds while the blocks held at once stay few.
    static let blocksPerRound: Int = {
        #if canImport(Glibc)
        return 16 * max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 32
        #endif
    }()

    /// Groups `blocks` on all cores; the results in the blocks' order.
    static func groupConcurrently(
        _ blocks: [(labels: Labels, block: TemplatedLines)], _ grouping: TemplatedJSONGrouping
    ) throws -> [TemplatedJSONGrouping.BlockGroups] {
        let results = Mutex([Result<TemplatedJSONGrouping.BlockGroups, any Error>?](repeating: nil, count: blocks.count))
        DispatchQueue.concurrentPerform(iterations: blocks.count) { index in
            let result = Result { try grouping.group(blocks[index].block, streamLabels: blocks[index].labels) }
            results.withLock { $0[index] = result }
        }
        return try results.withLock { $0 }.map { try $0!.get() }
    }

    /// Range functions whose sum over a grouping can be computed by grouping the lines first.
    static let pushable: Set<String> = ["count_over_time", "rate", "bytes_over_time", "bytes_rate", "sum_over_time"]

    /// Samples of one series before windowing.
    struct Samples {
        var labels: Labels
        var timestamps: [Int64] = []
        var values: [Double] = []
    }

    func rangeAggregation(_ aggregation: RangeAggregationExpr, reducer: Grouping?, _ context: inout EvaluationContext)
        async throws -> [StepSeries]
    {
        let range = aggregation.range
        let steps = context.steps
        let pipeline = try CompiledPipeline(range.selector.stages)
        let postFilters = try (range.unwrap?.postFilters ?? []).map { filter throws(LogQLEngineError) in try CompiledLabelFilter(filter) }
        let firstWindowEnd = steps.start - range.offset
        let lastWindowEnd = steps.end - range.offset
        let grouping = aggregation.grouping ?? reducer
        let keepErrors = aggregation.grouping == nil
        let function = aggregation.function
        let countsBytes = function == "bytes_over_time" || function == "bytes_rate"
        let unwrap = range.unwrap

        // With a `by` grouping and a pipeline that only filters and parses, only the grouping's
        // labels (and the error labels) can reach the result: parse and keep just those.
        var hints: Set<String>?
        var hintNames: [String] = []
        if let grouping, !grouping.without, unwrap == nil, pipeline.labelHintsAllowed {
            var names = Set(grouping.labels)
            names.insert(LineLabels.errorLabel)
            names.insert(LineLabels.errorDetailsLabel)
            // A parsed `x` clashing with a stream label lands as `x_extracted`.
            for name in grouping.labels where name.hasSuffix("_extracted") { names.insert(String(name.dropLast(10))) }
            hints = names
            hintNames = names.sorted()
        }

        // Stored blocks are grouped from their templates and columns when the pipeline is a bare
        // `json` whose result is cut down to a few labels and each line counts as one.
        var templatedGrouping: TemplatedJSONGrouping?
        if let hints, pipeline.isBareJSON, !countsBytes {
            templatedGrouping = TemplatedJSONGrouping(hintNames: hintNames, wanted: hints)
        }
        let selection = LogSelection(
            matchers: range.selector.matchers, start: firstWindowEnd - range.range + 1, end: lastWindowEnd + 1,
            direction: .forward, requiredSubstrings: range.selector.requiredSubstrings,
            templatedBlocks: templatedGrouping != nil)

        // Series found through the hinted labels' values, so most lines build no `Labels`.
        var hintedIndex: [[String]: Int] = [:]
        var seriesIndex: [Labels: Int] = [:]
        var series: [Samples] = []
        var lastStream: Labels?
        var lastStreamIndex = 0
        var stats = context.statistics
        let deadline = context.deadline
        var counted = 0

        func index(for labels: Labels) -> Int {
            let key = grouping.map { keepErrors ? $0.reduceKeepingErrors(labels) : $0.reduce(labels) } ?? labels
            if let existing = seriesIndex[key] { return existing }
            series.append(Samples(labels: key))
            seriesIndex[key] = series.count - 1
            return series.count - 1
        }

        func tick() throws {
            counted += 1
            if counted & 0xFFF == 0, ContinuousClock().now > deadline || Task.isCancelled { throw LogQLEngineError.timedOut }
            stats.totalLinesProcessed += 1
        }

        func process(_ entry: LogEntry, stream: Labels) throws {
            try tick()
            stats.totalBytesProcessed += entry.line.count
            if !entry.metadata.isEmpty { stats.totalStructuredMetadataBytesProcessed += entry.metadata.byteCount }
            if pipeline.onlyLineFilters, unwrap == nil, entry.metadata.isEmpty {
                guard entry.line.withUnsafeBytes({ pipeline.passesLineFilters($0) }) else { return }
                if stream != lastStream {
                    lastStream = stream
                    lastStreamIndex = index(for: stream)
                }
                series[lastStreamIndex].timestamps.append(entry.timestamp)
                series[lastStreamIndex].values.append(countsBytes ? Double(entry.line.count) : 1)
                stats.totalPostFilterLines += 1
                return
            }
            var labels = LineLabels(base: stream.merging(metadata: entry.metadata))
            guard let line = pipeline.run(line: entry.line, timestamp: entry.timestamp, labels: &labels, wanted: hints) else {
                return
            }
            var value = countsBytes ? Double(line.count) : 1
            if let unwrap {
                value = Self.unwrapValue(unwrap, &labels)
                var kept = true
                for filter in postFilters where !filter.evaluate(&labels) {
                    kept = false
                    break
                }
                guard kept else { return }
                labels.remove(unwrap.label)
            }
            stats.totalPostFilterLines += 1
            let target: Int
            if hints != nil {
                let values = hintNames.map { labels[$0] ?? "" }
                if let known = hintedIndex[values] {
                    target = known
                } else {
                    target = index(for: labels.build(keeping: hintNames))
                    hintedIndex[values] = target
                }
            } else {
                target = index(for: labels.build())
            }
            series[target].timestamps.append(entry.timestamp)
            series[target].values.append(value)
        }

        // Stored blocks are grouped a round at a time on every core, then merged here in order.
        var pending: [(labels: Labels, block: TemplatedLines)] = []
        func groupPending() throws {
            guard let grouping = templatedGrouping, !pending.isEmpty else { return }
            if ContinuousClock().now > deadline || Task.isCancelled { throw LogQLEngineError.timedOut }
            let results = try Self.groupConcurrently(pending, grouping)
            for (position, result) in results.enumerated() {
                let stream = pending[position].labels
                let head = try pending[position].block.head()
                for group in result.groups {
                    let target = index(for: group.labels)
                    series[target].timestamps.append(contentsOf: group.timestamps)
                    series[target].values.append(contentsOf: repeatElement(1, count: group.timestamps.count))
                    stats.totalLinesProcessed += group.timestamps.count
                    stats.totalPostFilterLines += group.timestamps.count
                    counted += group.timestamps.count
                }
                stats.totalBytesProcessed += result.groupedBytes
                for (line, bytes) in result.wholeLines {
                    try process(LogEntry(timestamp: head.timestamps[line], line: bytes, metadata: head.metadata(line)), stream: stream)
                }
            }
            pending.removeAll(keepingCapacity: true)
        }

        try await source.select(selection) { batch in
            if let block = batch.templated {
                guard templatedGrouping != nil else {
                    // Not asked for (a source should send none then): counted as plain lines.
                    for entry in try block.entries() { try process(entry, stream: batch.labels) }
                    return true
                }
                pending.append((batch.labels, block))
                if pending.count >= Self.blocksPerRound { try groupPending() }
                return true
            }
            for entry in batch.entries { try process(entry, stream: batch.labels) }
            return true
        }
        try groupPending()
        context.statistics = stats

        for item in series where item.labels[LineLabels.errorLabel] != nil {
            let error = item.labels[LineLabels.errorLabel] ?? ""
            throw LogQLEngineError.badQuery(
                "pipeline error: '\(error)' for series: '\(item.labels.description)'.\n"
                    + "Use a label filter to intentionally skip this error. (e.g | __error__!=\"\(error)\").\n"
                    + "To skip all potential errors you can match all errors with the label filter (e.g | __error__!=\"\").")
        }

        if function == "absent_over_time" {
            return absent(series, range: range, steps: steps)
        }

        var result: [StepSeries] = []
        result.reserveCapacity(series.count)
        for var item in series {
            try context.checkDeadline()
            Self.sortIfNeeded(&item)
            var points: [StepPoint] = []
            var low = 0
            var high = 0
            for stepIndex in 0..<steps.count {
                let windowEnd = steps.time(stepIndex) - range.offset
                while high < item.timestamps.count, item.timestamps[high] <= windowEnd { high += 1 }
                while low < high, item.timestamps[low] <= windowEnd - range.range { low += 1 }
                guard low < high else { continue }
                if let value = RangeFunctions.evaluate(
                    function, values: item.values[low..<high], timestamps: item.timestamps[low..<high], range: range.range,
                    windowEnd: windowEnd, parameter: aggregation.parameter, unwrapped: unwrap != nil)
                {
                    points.append(StepPoint(step: stepIndex, value: value))
                }
            }
            if !points.isEmpty { result.append(StepSeries(labels: item.labels, points: points)) }
        }
        return result
    }

    static func sortIfNeeded(_ samples: inout Samples) {
        var sorted = true
        for index in samples.timestamps.indices.dropFirst() where samples.timestamps[index] < samples.timestamps[index - 1] {
            sorted = false
            break
        }
        if sorted { return }
        let order = samples.timestamps.indices.sorted { samples.timestamps[$0] < samples.timestamps[$1] }
        samples.timestamps = order.map { samples.timestamps[$0] }
        samples.values = order.map { samples.values[$0] }
    }

    static func unwrapValue(_ unwrap: UnwrapExpr, _ labels: inout LineLabels) -> Double {
        let text = labels[unwrap.label] ?? ""
        let converted: Double?
        switch unwrap.conversion {
        case .none: converted = Parser.number(String(text.trimmingSpaces))
        case .duration, .durationSeconds: converted = GoDurationParser.parse(text).map { Double($0) / 1e9 }
        case .bytes: converted = ByteSizeParser.parse(text)
        }
        guard let converted else {
            let details: String
            switch unwrap.conversion {
            case .none: details = "strconv.ParseFloat: parsing \(GoQuote.quote(text)): invalid syntax"
            case .duration, .durationSeconds: details = "time: invalid duration \(GoQuote.quote(text))"
            case .bytes: details = "strconv.ParseFloat: parsing \(GoQuote.quote(text)): invalid syntax"
            }
            labels.setError("SampleExtractionErr", details: details)
            return 0
        }
        return converted
    }

    /// `absent_over_time`: 1 at the steps whose window holds no line of any stream, labelled
    /// from the selector's equality matchers.
    func absent(_ series: [Samples], range: LogRangeExpr, steps: StepRange) -> [StepSeries] {
        let timestamps = series.flatMap(\.timestamps).sorted()
        var points: [StepPoint] = []
        var low = 0
        var high = 0
        for stepIndex in 0..<steps.count {
            let windowEnd = steps.time(stepIndex) - range.offset
            while high < timestamps.count, timestamps[high] <= windowEnd { high += 1 }
            while low < high, timestamps[low] <= windowEnd - range.range { low += 1 }
            if low == high { points.append(StepPoint(step: stepIndex, value: 1)) }
        }
        var labels: [Label] = []
        var seen = Set<String>()
        for matcher in range.selector.matchers where matcher.type == .equal && seen.insert(matcher.name).inserted {
            labels.append(Label(name: matcher.name, value: matcher.value))
        }
        return points.isEmpty ? [] : [StepSeries(labels: Labels(labels), points: points)]
    }
}
