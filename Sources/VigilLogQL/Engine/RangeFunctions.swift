/// The `*_over_time` functions over the samples of one window.
enum RangeFunctions {
    /// The value of `function` over `values` (with their `timestamps`, ns) in the window
    /// (`windowEnd - range`, `windowEnd`]; nil when it has no value.
    static func evaluate(
        _ function: String, values: ArraySlice<Double>, timestamps: ArraySlice<Int64>, range: Int64, windowEnd: Int64,
        parameter: Double?, unwrapped: Bool
    ) -> Double? {
        guard !values.isEmpty else { return nil }
        let seconds = Double(range) / 1e9
        switch function {
        case "count_over_time": return Double(values.count)
        case "rate": return unwrapped ? values.reduce(0, +) / seconds : Double(values.count) / seconds
        case "bytes_over_time", "sum_over_time": return values.reduce(0, +)
        case "bytes_rate": return values.reduce(0, +) / seconds
        case "avg_over_time":
            var mean = 0.0
            var count = 0.0
            for value in values {
                count += 1
                mean += (value - mean) / count
            }
            return mean
        case "min_over_time": return values.reduce(Double.infinity) { $1.isNaN || $1 < $0 ? $1 : $0 }
        case "max_over_time": return values.reduce(-Double.infinity) { $1.isNaN || $1 > $0 ? $1 : $0 }
        case "stddev_over_time": return variance(values).squareRoot()
        case "stdvar_over_time": return variance(values)
        case "first_over_time": return values.first
        case "last_over_time": return values.last
        case "quantile_over_time": return quantile(parameter ?? .nan, Array(values))
        case "rate_counter":
            return extrapolatedRate(values: values, timestamps: timestamps, rangeStart: windowEnd - range, rangeEnd: windowEnd)
        default: return nil
        }
    }

    /// Population variance (Welford).
    static func variance(_ values: ArraySlice<Double>) -> Double {
        var count = 0.0
        var mean = 0.0
        var squares = 0.0
        for value in values {
            count += 1
            let delta = value - mean
            mean += delta / count
            squares += delta * (value - mean)
        }
        return squares / count
    }

    /// Prometheus's `quantile`: linear interpolation between the closest ranks.
    static func quantile(_ q: Double, _ values: [Double]) -> Double {
        if values.isEmpty || q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = values.sorted()
        let rank = q * Double(sorted.count - 1)
        let lower = max(0, Int(rank.rounded(.down)))
        let upper = min(sorted.count - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[lower] * (1 - weight) + sorted[upper] * weight
    }

    /// Prometheus's `extrapolatedRate` for a counter, which Loki's `rate_counter` uses.
    static func extrapolatedRate(values: ArraySlice<Double>, timestamps: ArraySlice<Int64>, rangeStart: Int64, rangeEnd: Int64)
        -> Double?
    {
        guard values.count >= 2, let first = values.first, let last = values.last,
            let firstTime = timestamps.first, let lastTime = timestamps.last
        else { return nil }
        var result = last - first
        var previous = first
        for value in values.dropFirst() {
            if value < previous { result += previous }
            previous = value
        }
        var durationToStart = Double(firstTime - rangeStart) / 1e9
        let durationToEnd = Double(rangeEnd - lastTime) / 1e9
        let sampled = Double(lastTime - firstTime) / 1e9
        guard sampled > 0 else { return nil }
        let average = sampled / Double(values.count - 1)
        if result > 0, first >= 0 {
            let durationToZero = sampled * (first / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        let threshold = average * 1.1
        var interval = sampled
        interval += durationToStart < threshold ? durationToStart : average / 2
        interval += durationToEnd < threshold ? durationToEnd : average / 2
        result *= interval / sampled
        return result / (Double(rangeEnd - rangeStart) / 1e9)
    }
}
