import VigilModel

extension TemplateFunctions {
    static func isString(_ value: TemplateValue) -> Bool {
        if case .string = value { return true }
        return false
    }

    static func compare(_ name: String, _ arguments: [TemplateValue]) throws -> Bool {
        guard arguments.count >= 2 else {
            throw TemplateFunctionError(fullMessage: "wrong number of args for \(name): want 2 got \(arguments.count)")
        }
        if name == "eq" {
            return try arguments.dropFirst().contains { try Self.order(arguments[0], $0) == 0 }
        }
        try Self.arity(name, arguments, 2)
        let ordering = try Self.order(arguments[0], arguments[1])
        switch name {
        case "ne": return ordering != 0
        case "lt": return ordering < 0
        case "le": return ordering <= 0
        case "gt": return ordering > 0
        default: return ordering >= 0
        }
    }

    static func order(_ lhs: TemplateValue, _ rhs: TemplateValue) throws -> Int {
        switch (lhs.underlying, rhs.underlying) {
        case (.string(let a), .string(let b)): return a == b ? 0 : (Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) ? -1 : 1)
        case (.int(let a), .int(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.float(let a), .float(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.bool(let a), .bool(let b)):
            guard a == b else { return 1 }
            return 0
        default:
            throw TemplateFunctionError( "incompatible types for comparison")
        }
    }

    /// Go's `html` escaping (`template.HTMLEscapeString`).
    public static func escapeHTML(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "'": result += "&#39;"
            case "\"": result += "&#34;"
            case "\0": result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Go's deprecated `strings.Title`: upper-cases the first letter of each word.
    public static func goTitle(_ text: String) -> String {
        var result = ""
        var previousIsLetter = false
        for character in text {
            let isWordCharacter = character.isLetter || character.isNumber || character == "_"
            if isWordCharacter && !previousIsLetter {
                result += character.uppercased()
            } else {
                result.append(character)
            }
            previousIsLetter = isWordCharacter
        }
        return result
    }
}

/// Go's `url.QueryEscape`: unreserved bytes kept, space as `+`, the rest `%XX`.
public func queryEscape(_ text: String) -> String {
    PercentEncoding.encode(text).replacing("%20", with: "+")
}
