import VigilModel

/// The functions and methods a template may call, by name: Go's built-ins, plus whatever the
/// embedding program registers (Prometheus's alert-template functions, Alertmanager's notification
/// functions). A template is checked against the names when it is parsed, as Go does.
public struct TemplateFunctions: Sendable {
    /// A function: takes the evaluated arguments (a piped value last), returns a value or throws a
    /// ``TemplateFunctionError``.
    public typealias Function = @Sendable (_ arguments: [TemplateValue]) throws -> TemplateValue
    /// A method of a named type (see ``TemplateObject``): the receiver, then the arguments.
    public typealias Method = @Sendable (_ receiver: TemplateValue, _ arguments: [TemplateValue]) throws -> TemplateValue

    private var table: [String: Function]
    private var methodTable: [String: [String: Method]]

    /// Go's built-in functions only (`and or not len index print printf println eq ne lt le gt ge
    /// html js urlquery slice`).
    public init() {
        table = Self.builtins
        methodTable = [:]
    }

    /// Every function name a template may call.
    public var names: Set<String> { Set(table.keys).union(["and", "or"]) }

    /// Adds or replaces the function `name`.
    public mutating func register(_ name: String, _ function: @escaping Function) {
        table[name] = function
    }

    /// Adds the functions of ``library`` named in `names`.
    public mutating func register(library names: [String]) {
        for name in names {
            if let function = Self.library[name] { table[name] = function }
        }
    }

    /// Adds or replaces method `name` of the named type `type` (``TemplateObject/typeName``).
    public mutating func register(method name: String, of type: String, _ method: @escaping Method) {
        methodTable[type, default: [:]][name] = method
    }

    func function(_ name: String) -> Function? { table[name] }

    func method(_ name: String, of type: String) -> Method? { methodTable[type]?[name] }

    /// Checks the argument count, with Go's message.
    public static func arity(_ name: String, _ arguments: [TemplateValue], _ count: Int) throws {
        guard arguments.count == count else {
            throw TemplateFunctionError(fullMessage: "wrong number of args for \(name): want \(count) got \(arguments.count)")
        }
    }

    /// The argument as a string (a named string type is accepted), or Go's type error.
    public static func string(_ value: TemplateValue, _ name: String, _ index: Int) throws -> String {
        guard case .string(let text) = value.underlying else {
            throw TemplateFunctionError(fullMessage: "wrong type for value; expected string; got \(value.typeName)")
        }
        return text
    }

    /// Go's `convertToFloat`: floats, ints and numeric strings.
    public static func float(_ value: TemplateValue) throws -> Double {
        switch value.underlying {
        case .float(let number): return number
        case .int(let number): return Double(number)
        case .string(let text):
            guard let number = GoParseFloat.parse(text) else {
                throw TemplateFunctionError("strconv.ParseFloat: parsing \(GoQuote.quote(text)): invalid syntax")
            }
            return number
        default:
            throw TemplateFunctionError("can't convert \(value.typeName) to float")
        }
    }

    private static let builtins: [String: Function] = {
        var table: [String: Function] = [:]
        table["not"] = { arguments in
            let name = "not"
            try TemplateFunctions.arity(name, arguments, 1)
            return .bool(!arguments[0].isTrue)
        }
        table["len"] = { arguments in
            let name = "len"
            try TemplateFunctions.arity(name, arguments, 1)
            switch arguments[0].underlying {
            case .string(let text): return .int(text.utf8.count)
            case .list(let list): return .int(list.count)
            case .map(let map): return .int(map.count)
            case .anyMap(let map): return .int(map.count)
            default: throw TemplateFunctionError( "len of type \(arguments[0].typeName)")
            }
        }
        table["index"] = { arguments in
            let name = "index"
            guard var value = arguments.first?.underlying else { throw TemplateFunctionError(fullMessage: "wrong number of args for index: want at least 1 got 0") }
            for key in arguments.dropFirst() {
                switch (value.underlying, key.underlying) {
                case (.map(let map), .string(let text)): value = .string(map[text] ?? "")
                case (.anyMap(let map), .string(let text)): value = map[text] ?? .null
                case (.list(let list), .int(let position)):
                    guard position >= 0 && position < list.count else {
                        throw TemplateFunctionError( "index out of range: \(position)")
                    }
                    value = list[position]
                default: throw TemplateFunctionError( "can't index item of type \(value.typeName)")
                }
            }
            return value
        }
        table["print"] = { arguments in
            let name = "print"
            // Go's Sprint adds spaces between operands when neither is a string.
            var text = ""
            for (offset, argument) in arguments.enumerated() {
                if offset > 0, !TemplateFunctions.isString(argument), !TemplateFunctions.isString(arguments[offset - 1]) { text += " " }
                text += argument.printed
            }
            return .string(text)
        }
        table["println"] = { arguments in
            let name = "println"
            return .string(arguments.map(\.printed).joined(separator: " ") + "\n")
        }
        table["printf"] = { arguments in
            let name = "printf"
            guard let format = arguments.first else { throw TemplateFunctionError(fullMessage: "wrong number of args for printf: want at least 1 got 0") }
            return .string(GoPrintf.format(try TemplateFunctions.string(format, name, 0), Array(arguments.dropFirst())))
        }
        for name in ["eq", "ne", "lt", "le", "gt", "ge"].map({ $0 }) {
            table[name] = { arguments in
                return .bool(try TemplateFunctions.compare(name, arguments))
            }
        }
        table["html"] = { arguments in
            let name = "html"
            return .string(TemplateFunctions.escapeHTML(arguments.map(\.printed).joined()))
        }
        table["js"] = { arguments in
            let name = "js"
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
        }
        table["urlquery"] = { arguments in
            let name = "urlquery"
            return .string(queryEscape(arguments.map(\.printed).joined()))
        }
        table["slice"] = { arguments in
            let name = "slice"
            guard let first = arguments.first, case .string(let text) = first else {
                throw TemplateFunctionError( "can't slice item")
            }
            let bytes = Array(text.utf8)
            var bounds: [Int] = []
            for argument in arguments.dropFirst() {
                guard case .int(let bound) = argument else { throw TemplateFunctionError( "cannot index slice/array with type \(argument.typeName)") }
                bounds.append(bound)
            }
            let low = bounds.count > 0 ? bounds[0] : 0
            let high = bounds.count > 1 ? bounds[1] : bytes.count
            guard low >= 0, low <= high, high <= bytes.count else { throw TemplateFunctionError( "index out of range: \(high)") }
            return .string(String(decoding: bytes[low..<high], as: UTF8.self))
        }
        return table
    }()

    /// Functions shared by Prometheus's and Alertmanager's sets, registered by name with
    /// ``register(library:)``: `reReplaceAll match safeHtml title toUpper toLower humanize
    /// humanize1024 humanizeDuration humanizePercentage humanizeTimestamp toTime`. `title` is Go's
    /// `strings.Title` (Prometheus); Alertmanager registers its own.
    public static let library: [String: Function] = {
        var table: [String: Function] = [:]
        table["reReplaceAll"] = { arguments in
            let name = "reReplaceAll"
            try TemplateFunctions.arity(name, arguments, 3)
            let pattern = try TemplateFunctions.string(arguments[0], name, 0)
            let replacement = try TemplateFunctions.string(arguments[1], name, 1)
            let text = try TemplateFunctions.string(arguments[2], name, 2)
            guard let regex = GoRegex(pattern) else { throw TemplateFunctionError( "error parsing regexp: \(pattern)") }
            return .string(regex.replaceAll(in: text, with: replacement))
        }
        table["match"] = { arguments in
            let name = "match"
            try TemplateFunctions.arity(name, arguments, 2)
            let pattern = try TemplateFunctions.string(arguments[0], name, 0)
            let text = try TemplateFunctions.string(arguments[1], name, 1)
            guard let regex = GoRegex(pattern) else { throw TemplateFunctionError( "error parsing regexp: \(pattern)") }
            return .bool(regex.matches(text))
        }
        table["safeHtml"] = { arguments in
            let name = "safeHtml"
            try TemplateFunctions.arity(name, arguments, 1)
            return .string(try TemplateFunctions.string(arguments[0], name, 0))
        }
        table["title"] = { arguments in
            let name = "title"
            try TemplateFunctions.arity(name, arguments, 1)
            return .string(TemplateFunctions.goTitle(try TemplateFunctions.string(arguments[0], name, 0)))
        }
        table["toUpper"] = { arguments in
            let name = "toUpper"
            try TemplateFunctions.arity(name, arguments, 1)
            return .string(try TemplateFunctions.string(arguments[0], name, 0).uppercased())
        }
        table["toLower"] = { arguments in
            let name = "toLower"
            try TemplateFunctions.arity(name, arguments, 1)
            return .string(try TemplateFunctions.string(arguments[0], name, 0).lowercased())
        }
        table["humanize"] = { arguments in
            let name = "humanize"
            try TemplateFunctions.arity(name, arguments, 1)
            return .string(Humanize.humanize(try TemplateFunctions.float(arguments[0])))
        }
        table["humanize1024"] = { arguments in
            let name = "humanize1024"
            try TemplateFunctions.arity(name, arguments, 1)
            return .string(Humanize.humanize1024(try TemplateFunctions.float(arguments[0])))
        }
        table["humanizeDuration"] = { arguments in
            let name = "humanizeDuration"
            try TemplateFunctions.arity(name, arguments, 1)
            return .string(Humanize.duration(try TemplateFunctions.float(arguments[0])))
        }
        table["humanizePercentage"] = { arguments in
            let name = "humanizePercentage"
            try TemplateFunctions.arity(name, arguments, 1)
            return .string(Humanize.percentage(try TemplateFunctions.float(arguments[0])))
        }
        table["humanizeTimestamp"] = { arguments in
            let name = "humanizeTimestamp"
            try TemplateFunctions.arity(name, arguments, 1)
            return .string(try Humanize.timestamp(try TemplateFunctions.float(arguments[0])))
        }
        table["toTime"] = { arguments in
            let name = "toTime"
            try TemplateFunctions.arity(name, arguments, 1)
            return .string(try Humanize.timestamp(try TemplateFunctions.float(arguments[0])))
        }
        return table
    }()
}

/// Why a template function failed. The executor reports it as `error calling NAME: message`, or,
/// for a ``fullMessage`` error (wrong argument count or type), as the message alone, as Go does.
public struct TemplateFunctionError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// Whether the message is complete (no `error calling NAME:` prefix).
    public let isFullMessage: Bool

    /// A failure reported as `error calling NAME: message`.
    public init(_ message: String) {
        self.message = message
        isFullMessage = false
    }

    /// A failure reported with exactly `fullMessage`.
    public init(fullMessage: String) {
        message = fullMessage
        isFullMessage = true
    }

    /// The message.
    public var description: String { message }
}
