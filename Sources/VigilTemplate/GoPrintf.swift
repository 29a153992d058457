#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VigilModel

/// Go's `fmt.Sprintf` for the verbs templates use: `%v %s %q %d %f %F %e %E %g %G %x %X %o %b %t %c %%`,
/// with flags (`-+ #0`), width and precision. A mismatched argument prints as Go does:
/// `%!d(string=text)`; a missing one as `%!d(MISSING)`; extras as `%!(EXTRA type=value)`.
enum GoPrintf {
    static func format(_ format: String, _ arguments: [TemplateValue]) -> String {
        var output = ""
        var scalars = Array(format.unicodeScalars)[...]
        var argumentIndex = 0
        while let scalar = scalars.popFirst() {
            guard scalar == "%" else {
                output.unicodeScalars.append(scalar)
                continue
            }
            var flags = ""
            while let next = scalars.first, "-+ #0".unicodeScalars.contains(next) {
                flags.unicodeScalars.append(next)
                scalars.removeFirst()
            }
            var width = ""
            while let next = scalars.first, next >= "0" && next <= "9" {
                width.unicodeScalars.append(next)
                scalars.removeFirst()
            }
            var precision: Int?
            if scalars.first == "." {
                scalars.removeFirst()
                var digits = ""
                while let next = scalars.first, next >= "0" && next <= "9" {
                    digits.unicodeScalars.append(next)
                    scalars.removeFirst()
                }
                precision = Int(digits) ?? 0
            }
            guard let verb = scalars.popFirst() else {
                output += "%!(NOVERB)"
                break
            }
            if verb == "%" {
                output += "%"
                continue
            }
            guard argumentIndex < arguments.count else {
                output += "%!\(Character(verb))(MISSING)"
                continue
            }
            let argument = arguments[argumentIndex]
            argumentIndex += 1
            let text = formatOne(argument, verb: verb, flags: flags, precision: precision)
            output += pad(text, flags: flags, width: Int(width) ?? 0, verb: verb)
        }
        if argumentIndex < arguments.count {
            output += "%!(EXTRA "
            output += arguments[argumentIndex...].map { "\($0.typeName)=\($0.printed)" }.joined(separator: ", ")
            output += ")"
        }
        return output
    }

    private static func bad(_ verb: Unicode.Scalar, _ value: TemplateValue) -> String {
        "%!\(Character(verb))(\(value.typeName)=\(value.printed))"
    }

    private static func formatOne(_ value: TemplateValue, verb: Unicode.Scalar, flags: String, precision: Int?) -> String {
        if case .object(let object) = value {
            // A type with a String() method prints through it for %s and %v, as fmt does.
            if let text = object.text, verb == "s" || verb == "v" { return formatOne(.string(text), verb: verb, flags: flags, precision: precision) }
            return formatOne(object.value, verb: verb, flags: flags, precision: precision)
        }
        switch verb {
        case "v":
            if case .float(let number) = value, let precision { return float(number, "g", flags: flags, precision: precision) }
            return value.printed
        case "s":
            switch value {
            case .string, .map, .list, .record, .bool, .null:
                var text = value.printed
                if let precision { text = String(text.prefix(precision)) }
                return text
            default: return bad(verb, value)
            }
        case "q":
            guard case .string(let text) = value else { return bad(verb, value) }
            return GoQuote.quote(text)
        case "t":
            guard case .bool(let flag) = value else { return bad(verb, value) }
            return flag ? "true" : "false"
        case "d", "x", "X", "o", "b", "c":
            switch value {
            case .int(let number): return integer(number, verb: verb, flags: flags)
            case .string(let text) where verb == "x" || verb == "X":
                let hex = text.utf8.map { byte in
                    let digits = String(byte, radix: 16, uppercase: verb == "X")
                    return digits.count == 1 ? "0" + digits : digits
                }
                return hex.joined()
            case .float(let number) where verb == "x" || verb == "X" || verb == "b":
                return float(number, verb == "x" ? "a" : "A", flags: flags, precision: precision)
            default: return bad(verb, value)
            }
        case "e", "E", "f", "F", "g", "G":
            switch value {
            case .float(let number): return float(number, verb, flags: flags, precision: precision)
            default: return bad(verb, value)
            }
        default:
            return "%!\(Character(verb))(\(value.typeName)=\(value.printed))"
        }
    }

    private static func integer(_ number: Int, verb: Unicode.Scalar, flags: String) -> String {
        let magnitude = number.magnitude
        var digits: String
        switch verb {
        case "x": digits = String(magnitude, radix: 16)
        case "X": digits = String(magnitude, radix: 16, uppercase: true)
        case "o": digits = String(magnitude, radix: 8)
        case "b": digits = String(magnitude, radix: 2)
        case "c": return Unicode.Scalar(UInt32(clamping: magnitude)).map { String(Character($0)) } ?? "\u{FFFD}"
        default: digits = String(magnitude)
        }
        if flags.contains("#") {
            if verb == "x" { digits = "0x" + digits } else if verb == "X" { digits = "0X" + digits } else if verb == "o" { digits = "0" + digits }
        }
        if number < 0 { return "-" + digits }
        if flags.contains("+") { return "+" + digits }
        if flags.contains(" ") { return " " + digits }
        return digits
    }

    /// A float with a C-compatible verb; Go and C agree on `%e %f %g` digits and layout except
    /// for NaN and infinities, which are spelled here as Go spells them.
    static func float(_ number: Double, _ verb: Unicode.Scalar, flags: String, precision: Int?) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Inf" : (flags.contains("+") ? "+Inf" : "+Inf") }
        var cFormat = "%"
        for flag in flags.unicodeScalars where flag != "0" && flag != "-" { cFormat.unicodeScalars.append(flag) }
        if let precision { cFormat += ".\(precision)" }
        if precision == nil && (verb == "g" || verb == "G") {
            // Go's %g without precision is the shortest representation.
            let shortest = GoFloat.format(number)
            let signed = number >= 0 && flags.contains("+") ? "+" + shortest : shortest
            return verb == "G" ? signed.uppercased().replacing("INF", with: "Inf").replacing("NAN", with: "NaN") : signed
        }
        cFormat.unicodeScalars.append(verb == "F" ? "f" : verb)
        return cFormatted(cFormat, number)
    }

    private static func cFormatted(_ format: String, _ number: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        let count = withVaList([number]) { arguments in
            buffer.withUnsafeMutableBufferPointer { pointer in
                vsnprintf(pointer.baseAddress, pointer.count, format, arguments)
            }
        }
        if count >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(count) + 1)
            _ = withVaList([number]) { arguments in
                buffer.withUnsafeMutableBufferPointer { pointer in
                    vsnprintf(pointer.baseAddress, pointer.count, format, arguments)
                }
            }
        }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func pad(_ text: String, flags: String, width: Int, verb: Unicode.Scalar) -> String {
        let count = text.unicodeScalars.count
        guard width > count else { return text }
        let fill = width - count
        if flags.contains("-") { return text + String(repeating: " ", count: fill) }
        if flags.contains("0") && verb != "s" && verb != "q" && verb != "v" {
            var body = Substring(text)
            var sign = ""
            if let first = body.first, first == "-" || first == "+" || first == " " {
                sign = String(first)
                body = body.dropFirst()
            }
            return sign + String(repeating: "0", count: fill) + body
        }
        return String(repeating: " ", count: fill) + text
    }
}
