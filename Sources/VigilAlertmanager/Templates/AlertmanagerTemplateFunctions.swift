import Foundation
public import VigilTemplate

/// Alertmanager's template functions (template/template.go, 0.25–0.27, plus `toJson`): Go's
/// built-ins and `toUpper toLower title trimSpace join match safeHtml safeUrl urlUnescape
/// reReplaceAll stringSlice date tz since humanizeDuration toJson`, with the methods of its
/// template types.
public enum AlertmanagerTemplateFunctions {
    /// The function set, ready for a ``VigilTemplate/TemplateSet``.
    public static let functions: TemplateFunctions = {
        var functions = TemplateFunctions()
        functions.register(library: ["toUpper", "toLower", "match", "reReplaceAll", "safeHtml"])
        functions.register("title") { arguments in
            try TemplateFunctions.arity("title", arguments, 1)
            return .string(title(try TemplateFunctions.string(arguments[0], "title", 0)))
        }
        functions.register("trimSpace") { arguments in
            try TemplateFunctions.arity("trimSpace", arguments, 1)
            return .string(try TemplateFunctions.string(arguments[0], "trimSpace", 0).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        functions.register("join") { arguments in
            try TemplateFunctions.arity("join", arguments, 2)
            let separator = try TemplateFunctions.string(arguments[0], "join", 0)
            return .string(try AlertmanagerTemplateTypes.stringList(arguments[1]).joined(separator: separator))
        }
        functions.register("safeUrl") { arguments in
            try TemplateFunctions.arity("safeUrl", arguments, 1)
            return .string(try TemplateFunctions.string(arguments[0], "safeUrl", 0))
        }
        functions.register("urlUnescape") { arguments in
            try TemplateFunctions.arity("urlUnescape", arguments, 1)
            let text = try TemplateFunctions.string(arguments[0], "urlUnescape", 0)
            guard let unescaped = text.replacing("+", with: " ").removingPercentEncoding else {
                throw TemplateFunctionError("invalid URL escape in \(text.debugDescription)")
            }
            return .string(unescaped)
        }
        functions.register("stringSlice") { arguments in
            .list(try arguments.enumerated().map { .string(try TemplateFunctions.string($0.element, "stringSlice", $0.offset)) })
        }
        functions.register("date") { arguments in
            try TemplateFunctions.arity("date", arguments, 2)
            let layout = try TemplateFunctions.string(arguments[0], "date", 0)
            return .string(try time(arguments[1]).format(layout))
        }
        functions.register("tz") { arguments in
            try TemplateFunctions.arity("tz", arguments, 2)
            let name = try TemplateFunctions.string(arguments[0], "tz", 0)
            var value = try time(arguments[1])
            if name == "" || name == "UTC" {
                value.offset = 0
                value.zone = "UTC"
            } else {
                guard let zone = TimeZone(identifier: name) else { throw TemplateFunctionError("unknown time zone \(name)") }
                let date = Date(timeIntervalSince1970: Double(value.seconds))
                value.offset = zone.secondsFromGMT(for: date)
                value.zone = zone.abbreviation(for: date) ?? name
            }
            return value.templateValue
        }
        functions.register("since") { arguments in
            try TemplateFunctions.arity("since", arguments, 1)
            let now = Int64(Date().timeIntervalSince1970 * 1e9)
            return GoDuration.templateValue(nanoseconds: now - (try time(arguments[0])).nanoseconds)
        }
        let humanizeDuration = TemplateFunctions.library["humanizeDuration"]
        functions.register("humanizeDuration") { arguments in
            // A time.Duration counts in seconds, as prometheus/common's convertToFloat does.
            let converted = arguments.map { argument -> TemplateValue in
                if case .object(let object) = argument, object.typeName == GoDuration.typeName, case .int(let nanoseconds) = object.value {
                    return .float(Double(nanoseconds) / 1e9)
                }
                return argument
            }
            guard let humanizeDuration else { throw TemplateFunctionError("humanizeDuration is unavailable") }
            return try humanizeDuration(converted)
        }
        functions.register("toJson") { arguments in
            try TemplateFunctions.arity("toJson", arguments, 1)
            return .string(GoJSON.encode(json(arguments[0])))
        }
        AlertmanagerTemplateTypes.registerMethods(on: &functions)
        return functions
    }()

    private static func time(_ value: TemplateValue) throws -> GoTime {
        guard let time = GoTime(value) else {
            throw TemplateFunctionError(fullMessage: "wrong type for value; expected time.Time; got \(value.typeName)")
        }
        return time
    }

    /// golang.org/x/text's `cases.Title`: each word's first letter upper-case, the rest lower-case.
    static func title(_ text: String) -> String {
        var result = ""
        var inWord = false
        for character in text {
            let isWordCharacter = character.isLetter || character.isNumber || character == "'" || character == "’"
            if isWordCharacter {
                result += inWord ? character.lowercased() : character.uppercased()
            } else {
                result.append(character)
            }
            inWord = isWordCharacter
        }
        return result
    }

    /// A template value as Go's `json.Marshal` would see the underlying Go value.
    private static func json(_ value: TemplateValue) -> GoJSON.Value {
        if let time = GoTime(value) {
            return .string(time.format(GoTime.rfc3339Nano))
        }
        switch value.underlying {
        case .string(let text): return .string(text)
        case .int(let number): return .int(Int64(number))
        case .float(let number): return .number(number)
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        case .map(let map): return .stringMap(map)
        case .list(let items): return .array(items.map(json))
        case .record(let fields), .anyMap(let fields):
            return .object(fields.keys.sorted().map { ($0, json(fields[$0] ?? .null)) })
        case .object(let object): return json(object.value)
        }
    }
}
