/// One lexical token of a LogQL query and where it starts.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier
        case string
        case number
        case duration
        case bytes
        case openBrace, closeBrace, openParen, closeParen, openBracket, closeBracket, comma, dot
        case equal, notEqual, regexMatch, regexNoMatch
        case pipeExact, pipeMatch, pipe
        case doubleEqual, greater, greaterEqual, less, lessEqual
        case add, sub, mul, div, mod, pow
        case flag // `--strict`, `--keep-empty`
        case end
    }

    var kind: Kind
    /// The text: an identifier's name, a string's unquoted value, a number's digits.
    var text: String
    /// Byte offset of the first character.
    var offset: Int
    var line: Int
    var column: Int

    /// The name Loki's grammar uses in `unexpected …` messages.
    var grammarName: String {
        switch kind {
        case .identifier:
            return LogQLKeywords.all.contains(text) ? text.uppercased() : "IDENTIFIER"
        case .string: return "STRING"
        case .number: return "NUMBER"
        case .duration: return "DURATION"
        case .bytes: return "BYTES"
        case .openBrace: return "{"
        case .closeBrace: return "}"
        case .openParen: return "("
        case .closeParen: return ")"
        case .openBracket: return "["
        case .closeBracket: return "]"
        case .comma: return ","
        case .dot: return "."
        case .equal: return "="
        case .notEqual: return "!="
        case .regexMatch: return "=~"
        case .regexNoMatch: return "!~"
        case .pipeExact: return "|="
        case .pipeMatch: return "|~"
        case .pipe: return "|"
        case .doubleEqual: return "=="
        case .greater: return ">"
        case .greaterEqual: return ">="
        case .less: return "<"
        case .lessEqual: return "<="
        case .add: return "+"
        case .sub: return "-"
        case .mul: return "*"
        case .div: return "/"
        case .mod: return "%"
        case .pow: return "^"
        case .flag: return "PARSER_FLAG"
        case .end: return "$end"
        }
    }
}

/// Words with a meaning in LogQL's grammar.
enum LogQLKeywords {
    static let rangeFunctions: Set<String> = [
        "count_over_time", "rate", "bytes_over_time", "bytes_rate", "absent_over_time", "rate_counter",
        "sum_over_time", "avg_over_time", "min_over_time", "max_over_time", "stddev_over_time",
        "stdvar_over_time", "quantile_over_time", "first_over_time", "last_over_time",
    ]
    static let vectorAggregations: Set<String> = [
        "sum", "avg", "min", "max", "count", "stddev", "stdvar", "topk", "bottomk", "sort", "sort_desc",
    ]
    static let all: Set<String> = rangeFunctions.union(vectorAggregations).union([
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
        "offset", "json", "logfmt", "regexp", "pattern", "unpack", "line_format", "label_format", "drop",
        "keep", "decolorize", "unwrap", "label_replace", "vector", "ip",
    ])
}
