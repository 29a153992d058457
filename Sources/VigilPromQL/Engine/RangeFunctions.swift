/// The functions over a range vector (`functions.go`), float samples only.
enum RangeFunction {
    case rate, increase, delta, irate, idelta, changes, resets, deriv, predictLinear, holtWinters
    case avgOverTime, minOverTime, maxOverTime, sumOverTime, countOverTime, lastOverTime
    case presentOverTime, absentOverTime, quantileOverTime, stddevOverTime, stdvarOverTime, madOverTime

    init?(name: String) {
        switch name {
        case "rate": self = .rate
        case "increase": self = .increase
        case "delta": self = .delta
        case "irate": self = .irate
        case "idelta": self = .idelta
        case "changes": self = .changes
        case "resets": self = .resets
        case "deriv": self = .deriv
        case "predict_linear": self = .predictLinear
        case "holt_winters": self = .holtWinters
        case "avg_over_time": self = .avgOverTime
        case "min_over_time": self = .minOverTime
        case "max_over_time": self = .maxOverTime
        case "sum_over_time": self = .sumOverTime
        case "count_over_time": self = .countOverTime
        case "last_over_time": self = .lastOverTime
        case "present_over_time": self = .presentOverTime
        case "absent_over_time": self = .absentOverTime
        case "quantile_over_time": self = .quantileOverTime
        case "stddev_over_time": self = .stddevOverTime
        case "stdvar_over_time": self = .stdvarOverTime
        case "mad_over_time": self = .madOverTime
        default: return nil
        }
    }
}

/// One window of samples and what the functions need to know about it.
///
/// The samples are views into the decoded series (no copies, no reference counting per step).
struct Window {
    var ts: Slice<UnsafeBufferPointer<Int64>>
    var vs: Slice<UnsafeBufferPointer<Double>>
    /// The step's evaluation time (ms).
    var stepTime: Int64
    /// `[rangeStart, rangeEnd]`: the window's bounds (ms).
    var rangeStart: Int64
    var rangeEnd: Int64
    /// The selector's range (ms).
    var range: Int64
    /// False when the caller knows no value in the window is below its predecessor, so `rate`
    /// and `increase` can skip looking for counter resets.
    var mayHaveCounterResets = true
}

/// `kahanSumInc`.
@inline(__always)
func kahanSumInc(_ inc: Double, _ sum: Double, _ c: Double) -> (Double, Double) {
    let t = sum + inc
    var c = c
    if abs(sum) >= abs(inc) {
        c += (sum - t) + inc
    } else {
        c += (inc - t) + sum
    }
    return (t, c)
}

extension RangeFunction {
    /// The function's value over `window` (non-empty), or nil when it yields no sample.
    /// `scalars` are the other arguments' values at this step, in argument order.
    func evaluate(_ w: Window, scalars: [Double]) throws(PromQLError) -> Double? {
        let vs = w.vs
        switch self {
        case .rate: return extrapolatedRate(w, isCounter: true, isRate: true)
        case .increase: return extrapolatedRate(w, isCounter: true, isRate: false)
        case .delta: return extrapolatedRate(w, isCounter: false, isRate: false)
        case .irate, .idelta:
            guard vs.count >= 2 else { return nil }
            let last = vs[vs.endIndex - 1]
            let previous = vs[vs.endIndex - 2]
            var result = (self == .irate && last < previous) ? last : last - previous
            let interval = w.ts[w.ts.endIndex - 1] - w.ts[w.ts.endIndex - 2]
            if interval == 0 { return nil }
            if self == .irate { result /= Double(interval) / 1000 }
            return result
        case .changes:
            var changes = 0
            var previous = vs[vs.startIndex]
            for current in vs.dropFirst() {
                if current != previous && !(current.isNaN && previous.isNaN) { changes += 1 }
                previous = current
            }
            return Double(changes)
        case .resets:
            var resets = 0
            var previous = vs[vs.startIndex]
            for current in vs.dropFirst() {
                if current < previous { resets += 1 }
                previous = current
            }
            return Double(resets)
        case .deriv:
            guard vs.count >= 2 else { return nil }
            return linearRegression(w.ts, vs, interceptTime: w.ts[w.ts.startIndex]).slope
        case .predictLinear:
            guard vs.count >= 2 else { return nil }
            let (slope, intercept) = linearRegression(w.ts, vs, interceptTime: w.stepTime)
            return slope * scalars[1] + intercept
        case .holtWinters:
            let sf = scalars[1]
            let tf = scalars[2]
            if sf <= 0 || sf >= 1 {
                throw .execution("invalid smoothing factor. Expected: 0 < sf < 1, got: \(goFormatFixed6(sf))")
            }
            if tf <= 0 || tf >= 1 {
                throw .execution("invalid trend factor. Expected: 0 < tf < 1, got: \(goFormatFixed6(tf))")
            }
            guard vs.count >= 2 else { return nil }
            let base = vs.startIndex
            var s0 = 0.0
            var s1 = vs[base]
            var b = vs[base + 1] - vs[base]
            for i in 1..<vs.count {
                let x = sf * vs[base + i]
                if i - 1 != 0 { b = tf * (s1 - s0) + (1 - tf) * b }
                let y = (1 - sf) * (s1 + b)
                s0 = s1
                s1 = x + y
            }
            return s1
        case .avgOverTime:
            var mean = 0.0
            var count = 0.0
            var c = 0.0
            for f in vs {
                count += 1
                if mean.isInfinite {
                    if f.isInfinite && (mean > 0) == (f > 0) { continue }
                    if !f.isInfinite && !f.isNaN { continue }
                }
                (mean, c) = kahanSumInc(f / count - mean / count, mean, c)
            }
            return mean.isInfinite ? mean : mean + c
        case .minOverTime:
            var result = vs[vs.startIndex]
            for f in vs where f < result || result.isNaN { result = f }
            return result
        case .maxOverTime:
            var result = vs[vs.startIndex]
            for f in vs where f > result || result.isNaN { result = f }
            return result
        case .sumOverTime:
            var sum = 0.0
            var c = 0.0
            for f in vs { (sum, c) = kahanSumInc(f, sum, c) }
            return sum.isInfinite ? sum : sum + c
        case .countOverTime:
            return Double(vs.count)
        case .lastOverTime:
            return vs[vs.endIndex - 1]
        case .presentOverTime, .absentOverTime:
            return 1
        case .quantileOverTime:
            return quantile(scalars[0], Array(vs))
        case .stddevOverTime, .stdvarOverTime:
            var count = 0.0
            var mean = 0.0, cMean = 0.0
            var aux = 0.0, cAux = 0.0
            for f in vs {
                count += 1
                let delta = f - (mean + cMean)
                (mean, cMean) = kahanSumInc(delta / count, mean, cMean)
                (aux, cAux) = kahanSumInc(delta * (f - (mean + cMean)), aux, cAux)
            }
            let variance = (aux + cAux) / count
            return self == .stddevOverTime ? variance.squareRoot() : variance
        case .madOverTime:
            let median = quantile(0.5, Array(vs))
            return quantile(0.5, vs.map { abs($0 - median) })
        }
    }

    /// `extrapolatedRate`: rate, increase and delta with Prometheus's extrapolation.
    private func extrapolatedRate(_ w: Window, isCounter: Bool, isRate: Bool) -> Double? {
        let vs = w.vs
        guard vs.count >= 2 else { return nil }
        let first = vs[vs.startIndex]
        let firstT = w.ts[w.ts.startIndex]
        let lastT = w.ts[w.ts.endIndex - 1]
        let samplesMinusOne = vs.count - 1
        var result = vs[vs.endIndex - 1] - first
        if isCounter && w.mayHaveCounterResets {
            var previous = first
            for current in vs.dropFirst() {
                if current < previous { result += previous }
                previous = current
            }
        }
        var durationToStart = Double(firstT - w.rangeStart) / 1000
        var durationToEnd = Double(w.rangeEnd - lastT) / 1000
        let sampledInterval = Double(lastT - firstT) / 1000
        let averageDurationBetweenSamples = sampledInterval / Double(samplesMinusOne)
        let extrapolationThreshold = averageDurationBetweenSamples * 1.1
        var extrapolateToInterval = sampledInterval
        if durationToStart >= extrapolationThreshold { durationToStart = averageDurationBetweenSamples / 2 }
        if isCounter && result > 0 && first >= 0 {
            let durationToZero = sampledInterval * (first / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        extrapolateToInterval += durationToStart
        if durationToEnd >= extrapolationThreshold { durationToEnd = averageDurationBetweenSamples / 2 }
        extrapolateToInterval += durationToEnd
        var factor = extrapolateToInterval / sampledInterval
        if isRate { factor /= Double(w.range) / 1000 }
        return result * factor
    }
}

/// `linearRegression` with Kahan-compensated sums.
func linearRegression(
    _ ts: Slice<UnsafeBufferPointer<Int64>>, _ vs: Slice<UnsafeBufferPointer<Double>>, interceptTime: Int64
) -> (slope: Double, intercept: Double) {
    var n = 0.0
    var sumX = 0.0, cX = 0.0
    var sumY = 0.0, cY = 0.0
    var sumXY = 0.0, cXY = 0.0
    var sumX2 = 0.0, cX2 = 0.0
    let initY = vs[vs.startIndex]
    var constY = true
    var index = 0
    for (t, f) in zip(ts, vs) {
        if constY && index > 0 && f != initY { constY = false }
        index += 1
        n += 1
        let x = Double(t - interceptTime) / 1e3
        (sumX, cX) = kahanSumInc(x, sumX, cX)
        (sumY, cY) = kahanSumInc(f, sumY, cY)
        (sumXY, cXY) = kahanSumInc(x * f, sumXY, cXY)
        (sumX2, cX2) = kahanSumInc(x * x, sumX2, cX2)
    }
    if constY {
        if initY.isInfinite { return (.nan, .nan) }
        return (0, initY)
    }
    sumX += cX
    sumY += cY
    sumXY += cXY
    sumX2 += cX2
    let covXY = sumXY - sumX * sumY / n
    let varX = sumX2 - sumX * sumX / n
    let slope = covXY / varX
    let intercept = sumY / n - slope * sumX / n
    return (slope, intercept)
}
