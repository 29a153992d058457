public import VigilModel

extension Expr: CustomStringConvertible {
    /// The canonical text Prometheus's printer gives: `sum by (job) (rate(x[5m]))`,
    /// `a - on (b) group_left (c) d`, `x offset 1h30m`, `x @ 100.000`.
    public var description: String {
        var output = ""
        write(to: &output)
        return output
    }

    func write(to output: inout String) {
        switch self {
        case .number(let node):
            output += GoFloat.format(node.value)
        case .string(let node):
            output += GoText.quote(node.value)
        case .vectorSelector(let node):
            node.write(to: &output, modifiers: true)
        case .matrixSelector(let node):
            node.vectorSelector.write(to: &output, modifiers: false)
            output += "[" + GoText.duration(milliseconds: node.rangeMilliseconds) + "]"
            writeModifiers(at: node.vectorSelector.at, offset: node.vectorSelector.offsetMilliseconds, to: &output)
        case .subquery(let node):
            node.expr.write(to: &output)
            output += "[" + GoText.duration(milliseconds: node.rangeMilliseconds) + ":"
            if node.stepMilliseconds != 0 { output += GoText.duration(milliseconds: node.stepMilliseconds) }
            output += "]"
            writeModifiers(at: node.at, offset: node.offsetMilliseconds, to: &output)
        case .paren(let node):
            output += "("
            node.expr.write(to: &output)
            output += ")"
        case .unary(let node):
            output += node.op == .minus ? "-" : "+"
            node.expr.write(to: &output)
        case .binary(let node):
            node.lhs.write(to: &output)
            output += " " + node.op.rawValue
            if node.returnBool { output += " bool" }
            if let matching = node.vectorMatching, !matching.matchingLabels.isEmpty || matching.on {
                output += (matching.on ? " on (" : " ignoring (") + matching.matchingLabels.joined(separator: ", ") + ")"
                switch matching.cardinality {
                case .manyToOne: output += " group_left (" + matching.include.joined(separator: ", ") + ")"
                case .oneToMany: output += " group_right (" + matching.include.joined(separator: ", ") + ")"
                case .oneToOne, .manyToMany: break
                }
            }
            output += " "
            node.rhs.write(to: &output)
        case .aggregate(let node):
            output += node.op.rawValue
            if node.without {
                output += " without (" + node.grouping.joined(separator: ", ") + ") "
            } else if !node.grouping.isEmpty {
                output += " by (" + node.grouping.joined(separator: ", ") + ") "
            }
            output += "("
            if node.op.takesParameter, let param = node.param {
                param.write(to: &output)
                output += ", "
            }
            node.expr.write(to: &output)
            output += ")"
        case .call(let node):
            output += node.function.name + "("
            for (index, argument) in node.args.enumerated() {
                if index > 0 { output += ", " }
                argument.write(to: &output)
            }
            output += ")"
        }
    }
}

func writeModifiers(at: AtModifier?, offset: Int64, to output: inout String) {
    switch at {
    case .timestamp(let milliseconds): output += " @ " + GoText.fixed(Double(milliseconds) / 1000, decimals: 3)
    case .start: output += " @ start()"
    case .end: output += " @ end()"
    case nil: break
    }
    if offset > 0 {
        output += " offset " + GoText.duration(milliseconds: offset)
    } else if offset < 0 {
        output += " offset -" + GoText.duration(milliseconds: 0 - offset)
    }
}

extension VectorSelector: CustomStringConvertible {
    /// The canonical text: the name, the other matchers sorted, then `@` and `offset`.
    public var description: String {
        var output = ""
        write(to: &output, modifiers: true)
        return output
    }

    func write(to output: inout String, modifiers: Bool) {
        var labelStrings: [String] = []
        for matcher in matchers {
            if matcher.name == Labels.metricName, matcher.type == .equal, matcher.value == name, !matcher.value.isEmpty {
                continue
            }
            labelStrings.append(Self.promQLText(of: matcher))
        }
        output += name
        if !labelStrings.isEmpty {
            labelStrings.sort { ByteOrder.less($0, $1) }
            output += "{" + labelStrings.joined(separator: ",") + "}"
        }
        if modifiers { writeModifiers(at: at, offset: offsetMilliseconds, to: &output) }
    }

    /// A matcher as Prometheus prints it: the name quoted only when it is not a plain
    /// identifier, the value always quoted Go-style.
    static func promQLText(of matcher: LabelMatcher) -> String {
        var plain = !matcher.name.isEmpty
        for (index, byte) in matcher.name.utf8.enumerated() {
            let isLetter = byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if !(isLetter || (index > 0 && isDigit)) {
                plain = false
                break
            }
        }
        let name = plain || matcher.name.isEmpty ? matcher.name : GoText.quote(matcher.name)
        return name + matcher.type.description + GoText.quote(matcher.value)
    }
}
