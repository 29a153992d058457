import VigilModel

extension BinaryOperator {
    /// Arithmetic drops `__name__`; comparisons (without `bool`) keep it.
    var dropsMetricName: Bool {
        switch self {
        case .add, .sub, .mul, .div, .pow, .mod, .atan2: true
        default: false
        }
    }
}

/// `scalarBinop`: both operands scalars; comparisons give 0 or 1.
func scalarBinop(_ op: BinaryOperator, _ lhs: Double, _ rhs: Double) -> Double {
    switch op {
    case .add: lhs + rhs
    case .sub: lhs - rhs
    case .mul: lhs * rhs
    case .div: lhs / rhs
    case .pow: GoMath.pow(lhs, rhs)
    case .mod: GoMath.mod(lhs, rhs)
    case .atan2: GoMath.atan2(lhs, rhs)
    case .equal: lhs == rhs ? 1 : 0
    case .notEqual: lhs != rhs ? 1 : 0
    case .greater: lhs > rhs ? 1 : 0
    case .less: lhs < rhs ? 1 : 0
    case .greaterOrEqual: lhs >= rhs ? 1 : 0
    case .lessOrEqual: lhs <= rhs ? 1 : 0
    case .and, .or, .unless: .nan
    }
}

/// `vectorElemBinop`: the value and whether a comparison keeps the element (its left value).
@inline(__always)
func vectorElemBinop(_ op: BinaryOperator, _ lhs: Double, _ rhs: Double) -> (Double, Bool) {
    switch op {
    case .add: (lhs + rhs, true)
    case .sub: (lhs - rhs, true)
    case .mul: (lhs * rhs, true)
    case .div: (lhs / rhs, true)
    case .pow: (GoMath.pow(lhs, rhs), true)
    case .mod: (GoMath.mod(lhs, rhs), true)
    case .atan2: (GoMath.atan2(lhs, rhs), true)
    case .equal: (lhs, lhs == rhs)
    case .notEqual: (lhs, lhs != rhs)
    case .greater: (lhs, lhs > rhs)
    case .less: (lhs, lhs < rhs)
    case .greaterOrEqual: (lhs, lhs >= rhs)
    case .lessOrEqual: (lhs, lhs <= rhs)
    case .and, .or, .unless: (lhs, true)
    }
}

/// The matching key of a series: its `on` labels, or all but the `ignoring` ones and `__name__`.
func matchSignature(_ labels: Labels, on: Bool, names: Set<String>) -> String {
    var key = ""
    for label in labels {
        let listed = names.contains(label.name)
        if on ? listed : (!listed && label.name != Labels.metricName) {
            key += label.name
            key.unicodeScalars.append("\u{FF}")
            key += label.value
            key.unicodeScalars.append("\u{FE}")
        }
    }
    return key
}

extension Evaluator {
    func evalBinary(_ node: BinaryExpr) throws(PromQLError) -> [Series] {
        let lhsType = node.lhs.type
        let rhsType = node.rhs.type
        let lhs = try evalSeries(node.lhs)
        let rhs = try evalSeries(node.rhs)
        let op = node.op
        switch (lhsType, rhsType) {
        case (.scalar, .scalar):
            return try rangeEval([lhs, rhs]) { vectors, _ in
                [Sample(labels: .empty, f: scalarBinop(op, vectors[0][0].f, vectors[1][0].f))]
            }
        case (.vector, .scalar):
            return try rangeEval([lhs, rhs]) { vectors, _ in
                vectorScalarBinop(op, vectors[0], vectors[1][0].f, swap: false, returnBool: node.returnBool)
            }
        case (.scalar, .vector):
            return try rangeEval([lhs, rhs]) { vectors, _ in
                vectorScalarBinop(op, vectors[1], vectors[0][0].f, swap: true, returnBool: node.returnBool)
            }
        default:
            let matching = node.vectorMatching ?? VectorMatching(cardinality: op.isSetOperator ? .manyToMany : .oneToOne)
            let names = Set(matching.matchingLabels)
            let lhsSignatures = lhs.map { matchSignature($0.labels, on: matching.on, names: names) }
            let rhsSignatures = rhs.map { matchSignature($0.labels, on: matching.on, names: names) }
            return try rangeEval([lhs, rhs]) { vectors, _ throws(PromQLError) in
                switch op {
                case .and:
                    if vectors[0].isEmpty || vectors[1].isEmpty { return [] }
                    let right = Set(vectors[1].map { rhsSignatures[$0.origin] })
                    return vectors[0].filter { right.contains(lhsSignatures[$0.origin]) }
                case .or:
                    if vectors[0].isEmpty { return vectors[1] }
                    if vectors[1].isEmpty { return vectors[0] }
                    let left = Set(vectors[0].map { lhsSignatures[$0.origin] })
                    return vectors[0] + vectors[1].filter { !left.contains(rhsSignatures[$0.origin]) }
                case .unless:
                    if vectors[0].isEmpty || vectors[1].isEmpty { return vectors[0] }
                    let right = Set(vectors[1].map { rhsSignatures[$0.origin] })
                    return vectors[0].filter { !right.contains(lhsSignatures[$0.origin]) }
                default:
                    return try vectorBinop(
                        op, vectors[0], vectors[1], matching: matching, returnBool: node.returnBool,
                        lhsSignatures: lhsSignatures, rhsSignatures: rhsSignatures)
                }
            }
        }
    }

    func vectorScalarBinop(_ op: BinaryOperator, _ vector: [Sample], _ scalar: Double, swap: Bool, returnBool: Bool) -> [Sample] {
        var out: [Sample] = []
        out.reserveCapacity(vector.count)
        for var sample in vector {
            var (lf, rf) = (sample.f, scalar)
            if swap { (lf, rf) = (rf, lf) }
            var (value, keep) = vectorElemBinop(op, lf, rf)
            if op.isComparison && swap { value = rf }
            if returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { continue }
            sample.f = value
            if op.dropsMetricName || returnBool { sample.labels = sample.labels.withoutName }
            out.append(sample)
        }
        return out
    }

    func vectorBinop(
        _ op: BinaryOperator, _ lhsIn: [Sample], _ rhsIn: [Sample], matching: VectorMatching, returnBool: Bool,
        lhsSignatures lhsSigsIn: [String], rhsSignatures rhsSigsIn: [String]
    ) throws(PromQLError) -> [Sample] {
        if lhsIn.isEmpty || rhsIn.isEmpty { return [] }
        var (lhs, rhs, lhsSigs, rhsSigs) = (lhsIn, rhsIn, lhsSigsIn, rhsSigsIn)
        let oneToMany = matching.cardinality == .oneToMany
        if oneToMany { (lhs, rhs, lhsSigs, rhsSigs) = (rhs, lhs, rhsSigs, lhsSigs) }

        var rightBySignature: [String: Sample] = [:]
        rightBySignature.reserveCapacity(rhs.count)
        for sample in rhs {
            let signature = rhsSigs[sample.origin]
            if let duplicate = rightBySignature[signature] {
                let side = oneToMany ? "left" : "right"
                let group = matchedLabels(sample.labels, matching: matching)
                throw .execution(
                    "found duplicate series for the match group \(group) on the \(side) hand-side of the operation: [\(sample.labels), \(duplicate.labels)];many-to-many matching not allowed: matching labels must be unique on one side")
            }
            rightBySignature[signature] = sample
        }

        var matchedOneToOne = Set<String>()
        var matchedMany: [String: Set<Labels>] = [:]
        var out: [Sample] = []
        for sample in lhs {
            let signature = lhsSigs[sample.origin]
            guard let right = rightBySignature[signature] else { continue }
            var (fl, fr) = (sample.f, right.f)
            if oneToMany { (fl, fr) = (fr, fl) }
            var (value, keep) = vectorElemBinop(op, fl, fr)
            if returnBool {
                value = keep ? 1 : 0
            } else if !keep {
                continue
            }
            var metric = resultMetric(sample.labels, right.labels, op: op, matching: matching)
            if returnBool { metric = metric.withoutName }
            if matching.cardinality == .oneToOne {
                if !matchedOneToOne.insert(signature).inserted {
                    throw .execution("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
            } else {
                if !matchedMany[signature, default: []].insert(metric).inserted {
                    throw .execution("multiple matches for labels: grouping labels must ensure unique matches")
                }
            }
            out.append(Sample(labels: metric, f: value))
        }
        return out
    }

    func matchedLabels(_ labels: Labels, matching: VectorMatching) -> Labels {
        let names = Set(matching.matchingLabels)
        var builder = LabelsBuilder()
        for label in labels where matching.on ? names.contains(label.name) : (!names.contains(label.name) && label.name != Labels.metricName) {
            builder.set(label.name, label.value)
        }
        return builder.build()
    }

    func resultMetric(_ lhs: Labels, _ rhs: Labels, op: BinaryOperator, matching: VectorMatching) -> Labels {
        var builder = LabelsBuilder()
        let names = Set(matching.matchingLabels)
        for label in lhs {
            if op.dropsMetricName && label.name == Labels.metricName { continue }
            if matching.cardinality == .oneToOne {
                if matching.on ? !names.contains(label.name) : names.contains(label.name) { continue }
            }
            builder.set(label.name, label.value)
        }
        for name in matching.include {
            if let value = rhs[name] { builder.set(name, value) } else { builder.remove(name) }
        }
        return builder.build()
    }
}
