import VigilModel

/// A classic histogram bucket: upper bound (`le`) and cumulative count.
struct Bucket {
    var upperBound: Double
    var count: Double
}

/// Go's `strconv.ParseFloat(s, 64)` for the forms bucket bounds use.
func goParseFloat(_ text: String) -> Double? {
    switch text.lowercased() {
    case "inf", "+inf", "infinity", "+infinity": return .infinity
    case "-inf", "-infinity": return -.infinity
    case "nan": return .nan
    default: break
    }
    guard let first = text.utf8.first, first != UInt8(ascii: " "), text.utf8.last != UInt8(ascii: " ") else { return nil }
    return Double(text)
}

/// `util/almost.Equal`.
func almostEqual(_ a: Double, _ b: Double, epsilon: Double) -> Bool {
    if a.isNaN && b.isNaN { return true }
    if a == b { return true }
    let minNormal = Double(bitPattern: 0x0010_0000_0000_0000)
    let absSum = abs(a) + abs(b)
    let diff = abs(a - b)
    if a == 0 || b == 0 || absSum < minNormal { return diff < epsilon * minNormal }
    return diff / min(absSum, Double.greatestFiniteMagnitude) < epsilon
}

/// `bucketQuantile`: the φ-quantile of classic buckets, with the monotonicity fix.
func bucketQuantile(_ q: Double, _ input: [Bucket]) -> (value: Double, forcedMonotonic: Bool) {
    if q.isNaN { return (.nan, false) }
    if q < 0 { return (-.infinity, false) }
    if q > 1 { return (.infinity, false) }
    var buckets = input.sorted { $0.upperBound < $1.upperBound }
    guard let last = buckets.last, last.upperBound == .infinity else { return (.nan, false) }
    // coalesceBuckets
    var merged: [Bucket] = []
    for bucket in buckets {
        if let tail = merged.last, tail.upperBound == bucket.upperBound {
            merged[merged.count - 1].count += bucket.count
        } else {
            merged.append(bucket)
        }
    }
    buckets = merged
    // ensureMonotonicAndIgnoreSmallDeltas
    var forcedMonotonic = false
    var previous = buckets[0].count
    for i in 1..<buckets.count {
        let current = buckets[i].count
        if current == previous { continue }
        if almostEqual(previous, current, epsilon: 1e-12) {
            buckets[i].count = previous
            continue
        }
        if current < previous {
            buckets[i].count = previous
            forcedMonotonic = true
            continue
        }
        previous = current
    }
    if buckets.count < 2 { return (.nan, forcedMonotonic) }
    let observations = buckets[buckets.count - 1].count
    if observations == 0 { return (.nan, forcedMonotonic) }
    var rank = q * observations
    // sort.Search over the first n-1 buckets.
    var low = 0, high = buckets.count - 1
    while low < high {
        let mid = (low + high) / 2
        if buckets[mid].count >= rank { high = mid } else { low = mid + 1 }
    }
    let b = low
    if b == buckets.count - 1 { return (buckets[buckets.count - 2].upperBound, forcedMonotonic) }
    if b == 0 && buckets[0].upperBound <= 0 { return (buckets[0].upperBound, forcedMonotonic) }
    var bucketStart = 0.0
    let bucketEnd = buckets[b].upperBound
    var count = buckets[b].count
    if b > 0 {
        bucketStart = buckets[b - 1].upperBound
        count -= buckets[b - 1].count
        rank -= buckets[b - 1].count
    }
    return (bucketStart + (bucketEnd - bucketStart) * (rank / count), forcedMonotonic)
}

extension Evaluator {
    /// `histogram_quantile` over the classic buckets of one step.
    func histogramQuantile(_ q: Double, _ vector: [Sample]) -> [Sample] {
        if q.isNaN || q < 0 || q > 1 {
            let warning = "PromQL warning: quantile value should be between 0 and 1, got \(goFormatV(q))"
            if !context.warnings.contains(warning) { context.warnings.append(warning) }
        }
        var order: [Labels] = []
        var groups: [Labels: (labels: Labels, buckets: [Bucket])] = [:]
        for sample in vector {
            guard let bound = goParseFloat(sample.labels["le"] ?? "") else {
                let name = sample.labels.name ?? ""
                let warning = "PromQL warning: bucket label \"le\" is missing or has a malformed value of \"\(sample.labels["le"] ?? "")\" for metric name \"\(name)\""
                if !context.warnings.contains(warning) { context.warnings.append(warning) }
                continue
            }
            var builder = LabelsBuilder(sample.labels)
            builder.remove("le")
            let key = builder.build()
            if groups[key] == nil {
                order.append(key)
                groups[key] = (key.withoutName, [])
            }
            groups[key]!.buckets.append(Bucket(upperBound: bound, count: sample.f))
        }
        var out: [Sample] = []
        for key in order {
            let group = groups[key]!
            let (value, forced) = bucketQuantile(q, group.buckets)
            if forced {
                let warning = "PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \"\(key.name ?? "")\""
                if !context.warnings.contains(warning) { context.warnings.append(warning) }
            }
            out.append(Sample(labels: group.labels, f: value))
        }
        return out
    }
}
