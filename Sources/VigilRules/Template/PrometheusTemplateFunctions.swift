public import VigilModel
public import VigilTemplate

/// Prometheus's alert-template functions (`template/template.go`): the Go built-ins, `query` and
/// friends, the humanize family, URL helpers; bound to one expansion's time, external URL and
/// query function.
enum PrometheusTemplateFunctions {
    /// Every function name Prometheus's templates may use, for checking a template when it is parsed.
    static let names: Set<String> = TemplateFunctions(time: 0).names

    /// Functions shared with other template users, taken from ``TemplateFunctions/library``.
    static let libraryNames = [
        "reReplaceAll", "match", "safeHtml", "title", "toUpper", "toLower", "humanize", "humanize1024",
        "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime",
    ]

    static func labelValue(_ sample: TemplateValue, _ label: String) -> String {
        guard case .record(let fields) = sample, case .map(let labels)? = fields["Labels"] else { return "" }
        return labels[label] ?? ""
    }

    static func path(of url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return "" }
        let rest = url[schemeEnd.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "" }
        var path = rest[slash...]
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
        return String(path)
    }

    static func splitPort(_ host: String) -> (String, String?) {
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

extension TemplateFunctions {
    /// Runs an instant query at a time (ms), returning `(labels, value)` pairs.
    public typealias QueryFunction = @Sendable (_ query: String, _ time: Int64) throws -> [(labels: Labels, value: Double)]

    /// Prometheus's function set for one expansion at `time` (ms): `externalURL` and `pathPrefix`
    /// from `externalURL`; `query` runs `query` (nil makes it fail).
    public init(time: Int64, externalURL: String = "", query: QueryFunction? = nil) {
        var functions = TemplateFunctions()
        functions.register(library: PrometheusTemplateFunctions.libraryNames)
        functions.register("query") { arguments in
            let name = "query"
            try TemplateFunctions.arity(name, arguments, 1)
            let text = try TemplateFunctions.string(arguments[0], name, 0)
            guard let query else { throw TemplateFunctionError( "queries are not available here") }
            let result = try query(text, time)
            return .list(result.map { .sample(labels: $0.labels.dictionary, value: $0.value) })
        }
        functions.register("first") { arguments in
            let name = "first"
            try TemplateFunctions.arity(name, arguments, 1)
            guard case .list(let list) = arguments[0] else { throw TemplateFunctionError( "first() called on \(arguments[0].typeName)") }
            guard let first = list.first else { throw TemplateFunctionError( "first() called on vector with no elements") }
            return first
        }
        functions.register("label") { arguments in
            let name = "label"
            try TemplateFunctions.arity(name, arguments, 2)
            let label = try TemplateFunctions.string(arguments[0], name, 0)
            guard case .record(let fields) = arguments[1], case .map(let labels)? = fields["Labels"] else { return .string("") }
            return .string(labels[label] ?? "")
        }
        functions.register("value") { arguments in
            let name = "value"
            try TemplateFunctions.arity(name, arguments, 1)
            guard case .record(let fields) = arguments[0], let value = fields["Value"] else {
                throw TemplateFunctionError( "value() called on \(arguments[0].typeName)")
            }
            return value
        }
        functions.register("strvalue") { arguments in
            let name = "strvalue"
            try TemplateFunctions.arity(name, arguments, 1)
            guard case .record(let fields) = arguments[0], case .map(let labels)? = fields["Labels"] else { return .string("") }
            return .string(labels["__value__"] ?? "")
        }
        functions.register("args") { arguments in
            let name = "args"
            var fields: [String: TemplateValue] = [:]
            for (offset, argument) in arguments.enumerated() { fields["arg\(offset)"] = argument }
            return .anyMap(fields)
        }
        for name in ["graphLink", "tableLink"].map({ $0 }) {
            functions.register(name) { arguments in
                try TemplateFunctions.arity(name, arguments, 1)
                let expr = queryEscape(try TemplateFunctions.string(arguments[0], name, 0))
                let tab = name == "graphLink" ? 0 : 1
                return .string("/graph?g0.expr=\(expr)&g0.tab=\(tab)")
            }
        }
        functions.register("sortByLabel") { arguments in
            let name = "sortByLabel"
            try TemplateFunctions.arity(name, arguments, 2)
            let label = try TemplateFunctions.string(arguments[0], name, 0)
            guard case .list(let list) = arguments[1] else { throw TemplateFunctionError( "sortByLabel called on \(arguments[1].typeName)") }
            return .list(list.enumerated().sorted { lhs, rhs in
                let left = PrometheusTemplateFunctions.labelValue(lhs.element, label)
                let right = PrometheusTemplateFunctions.labelValue(rhs.element, label)
                return left == right ? lhs.offset < rhs.offset : left < right
            }.map(\.element))
        }
        functions.register("pathPrefix") { arguments in
            let name = "pathPrefix"
            try TemplateFunctions.arity(name, arguments, 0)
            return .string(PrometheusTemplateFunctions.path(of: externalURL))
        }
        functions.register("externalURL") { arguments in
            let name = "externalURL"
            try TemplateFunctions.arity(name, arguments, 0)
            return .string(externalURL)
        }
        functions.register("parseDuration") { arguments in
            let name = "parseDuration"
            try TemplateFunctions.arity(name, arguments, 1)
            let text = try TemplateFunctions.string(arguments[0], name, 0)
            guard let milliseconds = PrometheusTemplateFunctions.parseDuration(text) else {
                throw TemplateFunctionError( "not a valid duration string: \(GoQuote.quote(text))")
            }
            return .float(Double(milliseconds) / 1000)
        }
        functions.register("stripPort") { arguments in
            let name = "stripPort"
            try TemplateFunctions.arity(name, arguments, 1)
            return .string(PrometheusTemplateFunctions.stripPort(try TemplateFunctions.string(arguments[0], name, 0)))
        }
        functions.register("stripDomain") { arguments in
            let name = "stripDomain"
            try TemplateFunctions.arity(name, arguments, 1)
            let host = try TemplateFunctions.string(arguments[0], name, 0)
            let (hostname, port) = PrometheusTemplateFunctions.splitPort(host)
            if hostname.first?.isNumber == true || hostname.contains(":") { return .string(host) }
            let short = hostname.split(separator: ".", maxSplits: 1).first.map(String.init) ?? hostname
            return .string(port.map { short + ":" + $0 } ?? short)
        }
        self = functions
    }
}

extension Template {
    /// Parses `text` as a Prometheus alert template (checked against Prometheus's functions).
    public static func parse(_ text: String, name: String) throws(TemplateError) -> Template {
        try parse(text, name: name, functionNames: PrometheusTemplateFunctions.names)
    }
}
