/// The kinds of token the lexer produces (Prometheus's `ItemType`s that a query can contain).
enum TokenKind: UInt8, Sendable {
    case eof, error, comment, identifier, metricIdentifier, number, string, duration
    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket, comma, colon, assign
    // Operators.
    case add, sub, mul, div, mod, pow, equal, notEqual, lessOrEqual, less, greaterOrEqual, greater
    case regexMatch, regexNoMatch, and, or, unless, atan2, at
    // Aggregators.
    case avg, bottomk, count, countValues, group, max, min, quantile, stddev, stdvar, sum, topk
    // Keywords.
    case bool, by, groupLeft, groupRight, ignoring, offset, on, without
    // Preprocessors.
    case start, end

    var isOperator: Bool { rawValue >= TokenKind.add.rawValue && rawValue <= TokenKind.at.rawValue }
    var isAggregator: Bool { rawValue >= TokenKind.avg.rawValue && rawValue <= TokenKind.topk.rawValue }
    var isKeyword: Bool { rawValue >= TokenKind.bool.rawValue && rawValue <= TokenKind.without.rawValue }

    /// The keyword (operators, aggregators, modifiers, `start`/`end`, `inf`/`nan`) a lower-cased
    /// word stands for.
    static func keyword(_ lowercased: some Sequence<UInt8>) -> TokenKind? {
        switch String(decoding: Array(lowercased), as: UTF8.self) {
        case "and": .and
        case "or": .or
        case "unless": .unless
        case "atan2": .atan2
        case "sum": .sum
        case "avg": .avg
        case "count": .count
        case "min": .min
        case "max": .max
        case "group": .group
        case "stddev": .stddev
        case "stdvar": .stdvar
        case "topk": .topk
        case "bottomk": .bottomk
        case "count_values": .countValues
        case "quantile": .quantile
        case "offset": .offset
        case "by": .by
        case "without": .without
        case "on": .on
        case "ignoring": .ignoring
        case "group_left": .groupLeft
        case "group_right": .groupRight
        case "bool": .bool
        case "start": .start
        case "end": .end
        case "inf", "nan": .number
        default: nil
        }
    }

    /// Whether Prometheus's `ItemTypeStr` names this kind (so messages print the token itself).
    var hasFixedText: Bool {
        switch self {
        case .eof, .error, .comment, .identifier, .metricIdentifier, .number, .string, .duration: false
        default: true
        }
    }

    var binaryOperator: BinaryOperator? {
        switch self {
        case .add: .add
        case .sub: .sub
        case .mul: .mul
        case .div: .div
        case .mod: .mod
        case .pow: .pow
        case .atan2: .atan2
        case .equal: .equal
        case .notEqual: .notEqual
        case .greater: .greater
        case .less: .less
        case .greaterOrEqual: .greaterOrEqual
        case .lessOrEqual: .lessOrEqual
        case .and: .and
        case .or: .or
        case .unless: .unless
        default: nil
        }
    }

    var aggregateOperator: AggregateOperator? {
        switch self {
        case .sum: .sum
        case .avg: .avg
        case .count: .count
        case .min: .min
        case .max: .max
        case .group: .group
        case .stddev: .stddev
        case .stdvar: .stdvar
        case .topk: .topk
        case .bottomk: .bottomk
        case .countValues: .countValues
        case .quantile: .quantile
        default: nil
        }
    }

    /// Tokens the grammar accepts as a metric name (`metric_identifier`).
    var isMetricIdentifier: Bool {
        switch self {
        case .avg, .bottomk, .by, .count, .countValues, .group, .identifier, .and, .or, .unless, .max,
             .metricIdentifier, .min, .offset, .quantile, .stddev, .stdvar, .sum, .topk, .without, .start, .end:
            true
        default: false
        }
    }

    /// Tokens the grammar accepts as a label name in grouping lists (`maybe_label`).
    var isMaybeLabel: Bool {
        switch self {
        case .avg, .bool, .bottomk, .by, .count, .countValues, .group, .groupLeft, .groupRight, .identifier,
             .ignoring, .and, .or, .unless, .max, .metricIdentifier, .min, .offset, .on, .quantile, .stddev,
             .stdvar, .sum, .topk, .start, .end, .atan2:
            true
        default: false
        }
    }
}

/// One lexed token: its kind and where its text lies in the query bytes.
struct Token: Sendable {
    var kind: TokenKind
    var start: Int
    var end: Int
    /// The lexer's message, for ``TokenKind/error`` tokens.
    var message: String = ""

    var range: PositionRange { PositionRange(start: start, end: end) }
}
