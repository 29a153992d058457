import VigilModel
import VigilTemplate

/// `line_format` and `label_format` templates: Go text/template (VigilTemplate) with the
/// functions Loki adds (a subset of Sprig plus `__line__` and `__timestamp__`).
enum LokiTemplates {
    /// Functions every LogQL template may call.
    static let functions: TemplateFunctions = {
        let string = LokiTemplates.string
        var table = TemplateFunctions()
        func unary(_ name: String, _ transform: @escaping @Sendable (String) -> String) {
            table.register(name) { arguments in
                try TemplateFunctions.arity(name, arguments, 1)
                return .string(transform(string(arguments, 0)))
            }
        }
        unary("ToLower") { $0.lowercased() }
        unary("ToUpper") { $0.uppercased() }
        unary("lower") { $0.lowercased() }
        unary("upper") { $0.uppercased() }
        unary("title") { TemplateFunctions.goTitle($0) }
        unary("TrimSpace") { String($0.trimmingCharacters(in: " \t\n\r")) }
        unary("trim") { String($0.trimmingCharacters(in: " \t\n\r")) }
        unary("urlencode") { PercentEncoding.encode($0, spaceAsPlus: true) }
        unary("b64enc") { Base64.encode(Array($0.utf8)) }
        unary("b64dec") { Base64.decode($0).map { String(decoding: $0, as: UTF8.self) } ?? "" }
        func binary(_ name: String, _ transform: @escaping @Sendable (String, String) -> TemplateValue) {
            table.register(name) { arguments in
                try TemplateFunctions.arity(name, arguments, 2)
                return transform(string(arguments, 0), string(arguments, 1))
            }
        }
        // Sprig's argument order: the piped value comes last.
        binary("contains") { needle, text in .bool(text.contains(needle)) }
        binary("hasPrefix") { prefix, text in .bool(text.hasPrefix(prefix)) }
        binary("hasSuffix") { suffix, text in .bool(text.hasSuffix(suffix)) }
        binary("trimPrefix") { prefix, text in .string(text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text) }
        binary("trimSuffix") { suffix, text in .string(text.hasSuffix(suffix) ? String(text.dropLast(suffix.count)) : text) }
        binary("TrimPrefix") { text, prefix in .string(text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text) }
        binary("TrimSuffix") { text, suffix in .string(text.hasSuffix(suffix) ? String(text.dropLast(suffix.count)) : text) }
        binary("TrimLeft") { text, cutset in .string(String(text.drop { cutset.contains($0) })) }
        binary("TrimRight") { text, cutset in .string(String(text.reversed().drop { cutset.contains($0) }.reversed())) }
        binary("Trim") { text, cutset in .string(String(text.trimmingCharacters(in: cutset))) }
        binary("trimAll") { cutset, text in .string(String(text.trimmingCharacters(in: cutset))) }
        binary("repeat") { count, text in .string(String(repeating: text, count: max(0, Int(count) ?? 0))) }
        binary("default") { fallback, value in .string(value.isEmpty ? fallback : value) }
        binary("indent") { spaces, text in
            let pad = String(repeating: " ", count: max(0, Int(spaces) ?? 0))
            return .string(pad + text.replacingAll("\n", with: "\n" + pad))
        }
        binary("nindent") { spaces, text in
            let pad = String(repeating: " ", count: max(0, Int(spaces) ?? 0))
            return .string("\n" + pad + text.replacingAll("\n", with: "\n" + pad))
        }
        binary("count") { needle, text in .int(text.occurrences(of: needle)) }
        table.register("default") { arguments in
            try TemplateFunctions.arity("default", arguments, 2)
            return arguments[1].isTrue ? arguments[1] : arguments[0]
        }
        table.register("replace") { arguments in
            try TemplateFunctions.arity("replace", arguments, 3)
            return .string(string(arguments, 2).replacingAll(string(arguments, 0), with: string(arguments, 1)))
        }
        table.register("Replace") { arguments in
            try TemplateFunctions.arity("Replace", arguments, 4)
            var text = string(arguments, 0)
            let old = string(arguments, 1)
            let new = string(arguments, 2)
            let limit = Int(string(arguments, 3)) ?? -1
            text = limit < 0 ? text.replacingAll(old, with: new) : text.replacingFirst(old, with: new, times: limit)
            return .string(text)
        }
        table.register("trunc") { arguments in
            try TemplateFunctions.arity("trunc", arguments, 2)
            let count = Int(try TemplateFunctions.float(arguments[0]))
            let text = string(arguments, 1)
            if count >= 0 { return .string(String(text.prefix(count))) }
            return .string(String(text.suffix(-count)))
        }
        table.register("substr") { arguments in
            try TemplateFunctions.arity("substr", arguments, 3)
            let start = Int(try TemplateFunctions.float(arguments[0]))
            let end = Int(try TemplateFunctions.float(arguments[1]))
            let scalars = Array(string(arguments, 2).unicodeScalars)
            let lower = max(0, start)
            let upper = end < 0 || end > scalars.count ? scalars.count : end
            guard lower < upper else { return .string("") }
            return .string(String(String.UnicodeScalarView(scalars[lower..<upper])))
        }
        table.register("regexReplaceAll") { arguments in
            try TemplateFunctions.arity("regexReplaceAll", arguments, 3)
            let box = try RegexBox(pattern: string(arguments, 0), anchored: false)
            return .string(ReplacementExpansion.replaceAll(box, in: string(arguments, 2), with: string(arguments, 1), literal: false))
        }
        table.register("regexReplaceAllLiteral") { arguments in
            try TemplateFunctions.arity("regexReplaceAllLiteral", arguments, 3)
            let box = try RegexBox(pattern: string(arguments, 0), anchored: false)
            return .string(ReplacementExpansion.replaceAll(box, in: string(arguments, 2), with: string(arguments, 1), literal: true))
        }
        func arithmetic(_ name: String, _ integer: Bool, _ combine: @escaping @Sendable (Double, Double) -> Double) {
            table.register(name) { arguments in
                try TemplateFunctions.arity(name, arguments, 2)
                let result = combine(try TemplateFunctions.float(arguments[0]), try TemplateFunctions.float(arguments[1]))
                if integer { return .int(result.isFinite ? Int(result.rounded(.towardZero)) : 0) }
                return .float(result)
            }
        }
        arithmetic("add", true) { $0.rounded(.towardZero) + $1.rounded(.towardZero) }
        arithmetic("sub", true) { $0.rounded(.towardZero) - $1.rounded(.towardZero) }
        arithmetic("mul", true) { $0.rounded(.towardZero) * $1.rounded(.towardZero) }
        arithmetic("div", true) { $1.rounded(.towardZero) == 0 ? 0 : ($0.rounded(.towardZero) / $1.rounded(.towardZero)) }
        arithmetic("mod", true) { $1.rounded(.towardZero) == 0 ? 0 : $0.rounded(.towardZero).truncatingRemainder(dividingBy: $1.rounded(.towardZero)) }
        arithmetic("addf", false) { $0 + $1 }
        arithmetic("subf", false) { $0 - $1 }
        arithmetic("mulf", false) { $0 * $1 }
        arithmetic("divf", false) { $0 / $1 }
        arithmetic("max", true) { max($0, $1) }
        arithmetic("min", true) { min($0, $1) }
        arithmetic("maxf", false) { max($0, $1) }
        arithmetic("minf", false) { min($0, $1) }
        func rounding(_ name: String, _ rule: FloatingPointRoundingRule) {
            table.register(name) { arguments in
                try TemplateFunctions.arity(name, arguments, 1)
                return .float(try TemplateFunctions.float(arguments[0]).rounded(rule))
            }
        }
        rounding("ceil", .up)
        rounding("floor", .down)
        table.register("round") { arguments in
            guard arguments.count == 2 else { throw TemplateFunctionError("round takes a value and a precision") }
            let precision = try TemplateFunctions.float(arguments[1])
            let scale = (0..<Int(max(0, precision))).reduce(1.0) { product, _ in product * 10 }
            return .float((try TemplateFunctions.float(arguments[0]) * scale).rounded() / scale)
        }
        table.register("int") { arguments in
            try TemplateFunctions.arity("int", arguments, 1)
            let value = (try? TemplateFunctions.float(arguments[0])) ?? 0
            return .int(value.isFinite ? Int(value.rounded(.towardZero)) : 0)
        }
        table.register("float64") { arguments in
            try TemplateFunctions.arity("float64", arguments, 1)
            return .float((try? TemplateFunctions.float(arguments[0])) ?? 0)
        }
        table.register("unixEpoch") { arguments in
            try TemplateFunctions.arity("unixEpoch", arguments, 1)
            guard let time = GoTime(arguments[0]) else { throw TemplateFunctionError("unixEpoch needs a time") }
            return .string(String(time.seconds))
        }
        table.register("unixEpochMillis") { arguments in
            try TemplateFunctions.arity("unixEpochMillis", arguments, 1)
            guard let time = GoTime(arguments[0]) else { throw TemplateFunctionError("unixEpochMillis needs a time") }
            return .string(String(time.nanoseconds / 1_000_000))
        }
        table.register("unixEpochNanos") { arguments in
            try TemplateFunctions.arity("unixEpochNanos", arguments, 1)
            guard let time = GoTime(arguments[0]) else { throw TemplateFunctionError("unixEpochNanos needs a time") }
            return .string(String(time.nanoseconds))
        }
        table.register("date") { arguments in
            try TemplateFunctions.arity("date", arguments, 2)
            guard let time = GoTime(arguments[1]) else { throw TemplateFunctionError("date needs a time") }
            return .string(time.format(string(arguments, 0)))
        }
        table.register("alignLeft") { arguments in
            try TemplateFunctions.arity("alignLeft", arguments, 2)
            let count = Int(try TemplateFunctions.float(arguments[0]))
            let text = string(arguments, 1)
            return .string(text.count >= count ? String(text.prefix(count)) : text + String(repeating: " ", count: count - text.count))
        }
        table.register("alignRight") { arguments in
            try TemplateFunctions.arity("alignRight", arguments, 2)
            let count = Int(try TemplateFunctions.float(arguments[0]))
            let text = string(arguments, 1)
            return .string(text.count >= count ? String(text.suffix(count)) : String(repeating: " ", count: count - text.count) + text)
        }
        // Placeholders so parsing accepts them; each execution registers the line's own.
        table.register("__line__") { _ in .string("") }
        table.register("__timestamp__") { _ in GoTime.zero.templateValue }
        return table
    }()

    static let functionNames = functions.names

    /// An argument as text, whatever its Go type (Sprig converts the same way).
    @Sendable static func string(_ arguments: [TemplateValue], _ index: Int) -> String {
        switch arguments[index].underlying {
        case .string(let text): return text
        case .int(let value): return String(value)
        case .float(let value): return GoFloat.format(value)
        case .bool(let value): return String(value)
        default: return ""
        }
    }

    /// Parses a template as Loki would, checking the functions it calls.
    static func parse(_ text: String) throws(TemplateError) -> Template {
        try Template.parse(text, name: "line", functionNames: functionNames)
    }

    /// Renders `template` for one line: `.name` reads a label, `__line__` and `__timestamp__` the
    /// entry.
    static func render(_ template: Template, labels: [String: String], line: [UInt8], timestamp: Int64) throws -> String {
        var functions = Self.functions
        let text = String(decoding: line, as: UTF8.self)
        functions.register("__line__") { _ in .string(text) }
        functions.register("__timestamp__") { _ in GoTime(nanoseconds: timestamp).templateValue }
        return try template.execute(data: .map(labels), functions: functions)
    }
}

extension String {
    func trimmingCharacters(in cutset: String) -> Substring {
        var body = Substring(self)
        while let first = body.first, cutset.contains(first) { body = body.dropFirst() }
        while let last = body.last, cutset.contains(last) { body = body.dropLast() }
        return body
    }

    func replacingAll(_ old: String, with new: String) -> String {
        replacingFirst(old, with: new, times: Int.max)
    }

    func replacingFirst(_ old: String, with new: String, times: Int) -> String {
        guard !old.isEmpty, times > 0 else { return self }
        var out = ""
        var rest = Substring(self)
        var done = 0
        while done < times, let range = rest.firstRange(of: old) {
            out += rest[..<range.lowerBound]
            out += new
            rest = rest[range.upperBound...]
            done += 1
        }
        return out + rest
    }

    func occurrences(of needle: String) -> Int {
        guard !needle.isEmpty else { return count + 1 }
        var total = 0
        var rest = Substring(self)
        while let range = rest.firstRange(of: needle) {
            total += 1
            rest = rest[range.upperBound...]
        }
        return total
    }
}

/// Base64 without Foundation.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = (UInt32(chunk[0]) << 16) | (chunk.count > 1 ? UInt32(chunk[1]) << 8 : 0) | (chunk.count > 2 ? UInt32(chunk[2]) : 0)
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            out.append(chunk.count > 1 ? alphabet[Int(value >> 6 & 63)] : UInt8(ascii: "="))
            out.append(chunk.count > 2 ? alphabet[Int(value & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for byte in text.utf8 where byte != UInt8(ascii: "=") {
            guard let position = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt8(position))
        }
        var out: [UInt8] = []
        var index = 0
        while index + 1 < values.count {
            let group = values[index..<min(index + 4, values.count)].map(UInt32.init)
            var value: UInt32 = 0
            for (offset, sextet) in group.enumerated() { value |= sextet << (18 - 6 * UInt32(offset)) }
            out.append(UInt8(value >> 16 & 0xFF))
            if group.count > 2 { out.append(UInt8(value >> 8 & 0xFF)) }
            if group.count > 3 { out.append(UInt8(value & 0xFF)) }
            index += 4
        }
        return out
    }
}
