public import VigilModel

/// The functions a template may call: Go's built-ins and Prometheus's template functions
/// (`template/template.go`), bound to one expansion's time, external URL and query function.
public struct TemplateFunctions: Sendable {
    /// Runs an instant query at a time (ms), returning `(labels, value)` pairs.
    public typealias QueryFunction = @Sendable (_ query: String, _ time: Int64) throws -> [(labels: Labels, value: Double)]

    /// The evaluation time (ms) `query` runs at.
    public var time: Int64
    /// `--web.external-url`, for `externalURL` and `pathPrefix`.
    public var externalURL: String
    /// The query function behind `query`; nil makes `query` fail.
    public var query: QueryFunction?

    /// Functions for one expansion at `time`.
    public init(time: Int64, externalURL: String = "", query: QueryFunction? = nil) {
        self.time = time
        self.externalURL = externalURL
        self.query = query
    }

    /// A failure with Go's full message (no `error calling` prefix).
    struct Failure: Error {
        let message: String
    }

    /// A function's own error; the executor prefixes it with `error calling NAME:`.
    struct CallError: Error, CustomStringConvertible {
        let description: String
    }

    /// Every function name a template may use; others are rejected when it is parsed.
    static let names: Set<String> = [
        "and", "or", "not", "len", "index", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge",
        "html", "js", "urlquery", "slice",
        "query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match", "title",
        "toUpper", "toLower", "graphLink", "tableLink", "sortByLabel", "humanize", "humanize1024",
        "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime", "toDuration", "pathPrefix",
        "externalURL", "parseDuration", "stripPort", "stripDomain",
    ]

    private func arity(_ name: String, _ arguments: [TemplateValue], _ count: Int) throws {
        guard arguments.count == count else {
            throw Failure(message: "wrong number of args for \(name): want \(count) got \(arguments.count)")
        }
    }

    private func string(_ value: TemplateValue, _ name: String, _ index: Int) throws -> String {
        guard case .string(let text) = value else {
            throw Failure(message: "wrong type for value; expected string; got \(value.typeName)")
        }
        return text
    }

    /// Go's `convertToFloat`: floats, ints and numeric strings.
    static func float(_ value: TemplateValue) throws -> Double {
        switch value {
        case .float(let number): return number
        case .int(let number): return Double(number)
        case .string(let text):
            guard let number = GoParseFloat.parse(text) else {
                throw CallError(description: "strconv.ParseFloat: parsing \(GoQuote.quote(text)): invalid syntax")
            }
            return number
        default:
            throw CallError(description: "can't convert \(value.typeName) to float")
        }
    }

    func call(_ name: String, _ arguments: [TemplateValue]) throws -> TemplateValue {
        switch name {
        case "not":
            try arity(name, arguments, 1)
            return .bool(!arguments[0].isTrue)
        case "len":
            try arity(name, arguments, 1)
            switch arguments[0] {
            case .string(let text): return .int(text.utf8.count)
            case .list(let list): return .int(list.count)
            case .map(let map): return .int(map.count)
            case .anyMap(let map): return .int(map.count)
            default: throw CallError(description: "len of type \(arguments[0].typeName)")
            }
        case "index":
            guard var value = arguments.first else { throw Failure(message: "wrong number of args for index: want at least 1 got 0") }
            for key in arguments.dropFirst() {
                switch (value, key) {
                case (.map(let map), .string(let text)): value = .string(map[text] ?? "")
                case (.anyMap(let map), .string(let text)): value = map[text] ?? .null
                case (.list(let list), .int(let position)):
                    guard position >= 0 && position < list.count else {
                        throw CallError(description: "index out of range: \(position)")
                    }
                    value = list[position]
                default: throw CallError(description: "can't index item of type \(value.typeName)")
                }
            }
            return value
        case "print":
            // Go's Sprint adds spaces between operands when neither is a string.
            var text = ""
            for (offset, argument) in arguments.enumerated() {
                if offset > 0, !isString(argument), !isString(arguments[offset - 1]) { text += " " }
                text += argument.printed
            }
            return .string(text)
        case "println":
            return .string(arguments.map(\.printed).joined(separator: " ") + "\n")
        case "printf":
            guard let format = arguments.first else { throw Failure(message: "wrong number of args for printf: want at least 1 got 0") }
            return .string(GoPrintf.format(try string(format, name, 0), Array(arguments.dropFirst())))
        case "eq", "ne", "lt", "le", "gt", "ge":
            return .bool(try compare(name, arguments))
        case "html":
            return .string(escapeHTML(arguments.map(\.printed).joined()))
        case "js":
            return .string(arguments.map(\.printed).joined().unicodeScalars.map { scalar -> String in
                switch scalar {
                case "\\": "\\\\"
                case "'": "\\'"
                case "\"": "\\\""
                case "<": "\\u003C"
                case ">": "\\u003E"
                case "&": "\\u0026"
                case "=": "\\u003D"
                case "\n": "\\u000A"
                case "\r": "\\u000D"
                default: String(Character(scalar))
                }
            }.joined())
        case "urlquery":
            return .string(queryEscape(arguments.map(\.printed).joined()))
        case "slice":
            guard let first = arguments.first, case .string(let text) = first else {
                throw CallError(description: "can't slice item")
            }
            let bytes = Array(text.utf8)
            var bounds: [Int] = []
            for argument in arguments.dropFirst() {
                guard case .int(let bound) = argument else { throw CallError(description: "cannot index slice/array with type \(argument.typeName)") }
                bounds.append(bound)
            }
            let low = bounds.count > 0 ? bounds[0] : 0
            let high = bounds.count > 1 ? bounds[1] : bytes.count
            guard low >= 0, low <= high, high <= bytes.count else { throw CallError(description: "index out of range: \(high)") }
            return .string(String(decoding: bytes[low..<high], as: UTF8.self))
        case "query":
            try arity(name, arguments, 1)
            let text = try string(arguments[0], name, 0)
            guard let query else { throw CallError(description: "queries are not available here") }
            let result = try query(text, time)
            return .list(result.map { .sample(labels: $0.labels.dictionary, value: $0.value) })
        case "first":
            try arity(name, arguments, 1)
            guard case .list(let list) = arguments[0] else { throw CallError(description: "first() called on \(arguments[0].typeName)") }
            guard let first = list.first else { throw CallError(description: "first() called on vector with no elements") }
            return first
        case "label":
            try arity(name, arguments, 2)
            let label = try string(arguments[0], name, 0)
            guard case .record(let fields) = arguments[1], case .map(let labels)? = fields["Labels"] else { return .string("") }
            return .string(labels[label] ?? "")
        case "value":
            try arity(name, arguments, 1)
            guard case .record(let fields) = arguments[0], let value = fields["Value"] else {
                throw CallError(description: "value() called on \(arguments[0].typeName)")
            }
            return value
        case "strvalue":
            try arity(name, arguments, 1)
            guard case .record(let fields) = arguments[0], case .map(let labels)? = fields["Labels"] else { return .string("") }
            return .string(labels["__value__"] ?? "")
        case "args":
            var fields: [String: TemplateValue] = [:]
            for (offset, argument) in arguments.enumerated() { fields["arg\(offset)"] = argument }
            return .anyMap(fields)
        case "reReplaceAll":
            try arity(name, arguments, 3)
            let pattern = try string(arguments[0], name, 0)
            let replacement = try string(arguments[1], name, 1)
            let text = try string(arguments[2], name, 2)
            guard let regex = GoRegex(pattern) else { throw CallError(description: "error parsing regexp: \(pattern)") }
            return .string(regex.replaceAll(in: text, with: replacement))
        case "match":
            try arity(name, arguments, 2)
            let pattern = try string(arguments[0], name, 0)
            let text = try string(arguments[1], name, 1)
            guard let regex = GoRegex(pattern) else { throw CallError(description: "error parsing regexp: \(pattern)") }
            return .bool(regex.matches(text))
        case "safeHtml":
            try arity(name, arguments, 1)
            return .string(try string(arguments[0], name, 0))
        case "title":
            try arity(name, arguments, 1)
            return .string(Self.title(try string(arguments[0], name, 0)))
        case "toUpper":
            try arity(name, arguments, 1)
            return .string(try string(arguments[0], name, 0).uppercased())
        case "toLower":
            try arity(name, arguments, 1)
            return .string(try string(arguments[0], name, 0).lowercased())
        case "graphLink", "tableLink":
            try arity(name, arguments, 1)
            let expr = queryEscape(try string(arguments[0], name, 0))
            let tab = name == "graphLink" ? 0 : 1
            return .string("/graph?g0.expr=\(expr)&g0.tab=\(tab)")
        case "sortByLabel":
            try arity(name, arguments, 2)
            let label = try string(arguments[0], name, 0)
            guard case .list(let list) = arguments[1] else { throw CallError(description: "sortByLabel called on \(arguments[1].typeName)") }
            return .list(list.enumerated().sorted { lhs, rhs in
                let left = Self.labelValue(lhs.element, label)
                let right = Self.labelValue(rhs.element, label)
                return left == right ? lhs.offset < rhs.offset : left < right
            }.map(\.element))
        case "humanize":
            try arity(name, arguments, 1)
            return .string(Humanize.humanize(try Self.float(arguments[0])))
        case "humanize1024":
            try arity(name, arguments, 1)
            return .string(Humanize.humanize1024(try Self.float(arguments[0])))
        case "humanizeDuration":
            try arity(name, arguments, 1)
            return .string(Humanize.duration(try Self.float(arguments[0])))
        case "humanizePercentage":
            try arity(name, arguments, 1)
            return .string(Humanize.percentage(try Self.float(arguments[0])))
        case "humanizeTimestamp":
            try arity(name, arguments, 1)
            return .string(try Humanize.timestamp(try Self.float(arguments[0])))
        case "toTime":
            try arity(name, arguments, 1)
            return .string(try Humanize.timestamp(try Self.float(arguments[0])))
        case "pathPrefix":
            try arity(name, arguments, 0)
            return .string(Self.path(of: externalURL))
        case "externalURL":
            try arity(name, arguments, 0)
            return .string(externalURL)
        case "parseDuration":
            try arity(name, arguments, 1)
            let text = try string(arguments[0], name, 0)
            guard let milliseconds = Self.parseDuration(text) else {
                throw CallError(description: "not a valid duration string: \(GoQuote.quote(text))")
            }
            return .float(Double(milliseconds) / 1000)
        case "stripPort":
            try arity(name, arguments, 1)
            return .string(Self.stripPort(try string(arguments[0], name, 0)))
        case "stripDomain":
            try arity(name, arguments, 1)
            let host = try string(arguments[0], name, 0)
            let (hostname, port) = Self.splitPort(host)
            if hostname.first?.isNumber == true || hostname.contains(":") { return .string(host) }
            let short = hostname.split(separator: ".", maxSplits: 1).first.map(String.init) ?? hostname
            return .string(port.map { short + ":" + $0 } ?? short)
        default:
            throw Failure(message: "function \"\(name)\" not defined")
        }
    }

    private func isString(_ value: TemplateValue) -> Bool {
        if case .string = value { return true }
        return false
    }

    private static func labelValue(_ sample: TemplateValue, _ label: String) -> String {
        guard case .record(let fields) = sample, case .map(let labels)? = fields["Labels"] else { return "" }
        return labels[label] ?? ""
    }

    private func compare(_ name: String, _ arguments: [TemplateValue]) throws -> Bool {
        guard arguments.count >= 2 else {
            throw Failure(message: "wrong number of args for \(name): want 2 got \(arguments.count)")
        }
        if name == "eq" {
            return try arguments.dropFirst().contains { try order(arguments[0], $0) == 0 }
        }
        try arity(name, arguments, 2)
        let ordering = try order(arguments[0], arguments[1])
        switch name {
        case "ne": return ordering != 0
        case "lt": return ordering < 0
        case "le": return ordering <= 0
        case "gt": return ordering > 0
        default: return ordering >= 0
        }
    }

    private func order(_ lhs: TemplateValue, _ rhs: TemplateValue) throws -> Int {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): return a == b ? 0 : (Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) ? -1 : 1)
        case (.int(let a), .int(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.float(let a), .float(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.bool(let a), .bool(let b)):
            guard a == b else { return 1 }
            return 0
        default:
            throw CallError(description: "incompatible types for comparison")
        }
    }

    private func escapeHTML(_ text: String) -> String {
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
    static func title(_ text: String) -> String {
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

    static func path(of url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return "" }
        let rest = url[schemeEnd.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "" }
        var path = rest[slash...]
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
        return String(path)
    }

    private static func splitPort(_ host: String) -> (String, String?) {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let name = String(host[host.index(after: host.startIndex)..<close])
            let rest = host[host.index(after: close)...]
            return rest.hasPrefix(":") ? (name, String(rest.dropFirst())) : (host, nil)
        }
        let colons = host.filter { $0 == ":" }.count
        guard colons == 1, let colon = host.lastIndex(of: ":") else { return (host, nil) }
        return (String(host[..<colon]), String(host[host.index(after: colon)...]))
    }

    static func stripPort(_ host: String) -> String {
        let (name, port) = splitPort(host)
        return port == nil ? host : name
    }

    /// Prometheus's duration syntax in milliseconds (`1h30m`, `90s`, `1.5h` is not valid).
    static func parseDuration(_ text: String) -> Int64? {
        if text == "0" { return 0 }
        let units: [(String, Int64)] = [("ms", 1), ("y", 31_536_000_000), ("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        var total: Int64 = 0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.0.count)
            total += number * unit.1
        }
        return total
    }
}

/// Go's `url.QueryEscape`: unreserved bytes kept, space as `+`, the rest `%XX`.
func queryEscape(_ text: String) -> String {
    PercentEncoding.encode(text).replacing("%20", with: "+")
}
