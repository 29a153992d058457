import VigilModel
/// `| regexp "(?P<name>…)"`: named groups of the first match become labels.
struct RegexpStage: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let box: RegexBox
    let names: [String]

    init(_ pattern: String) throws(Failure) {
        do {
            box = try RegexBox(pattern: pattern, anchored: false)
        } catch {
            throw Failure(description: error.reason)
        }
        let names = Self.groupNames(pattern)
        guard !names.isEmpty else { throw Failure(description: "at least one named capture must be supplied") }
        for name in names where !Self.isLabelName(name) {
            throw Failure(description: "invalid extracted label name '\(name)'")
        }
        self.names = names
    }

    /// Names of `(?P<name>` and `(?<name>` groups in order.
    static func groupNames(_ pattern: String) -> [String] {
        var names: [String] = []
        let bytes = Array(pattern.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") { index += 2; continue }
            if bytes[index] == UInt8(ascii: "("), index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "?") {
                var start = index + 2
                if start < bytes.count, bytes[start] == UInt8(ascii: "P") { start += 1 }
                if start < bytes.count, bytes[start] == UInt8(ascii: "<") {
                    var end = start + 1
                    while end < bytes.count, bytes[end] != UInt8(ascii: ">") { end += 1 }
                    if end < bytes.count { names.append(String(decoding: bytes[(start + 1)..<end], as: UTF8.self)) }
                }
            }
            index += 1
        }
        return names
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, Lexer.isIdentifierStart(first) else { return false }
        return name.utf8.allSatisfy { Lexer.isLetter($0) || Lexer.isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    func match(_ line: String, _ emit: (String, String) -> Void) {
        guard let match = try? box.regex.firstMatch(in: line) else { return }
        for element in match.output {
            guard let name = element.name, let substring = element.substring else { continue }
            emit(name, String(substring))
        }
    }
}

/// Strips ANSI colour and cursor sequences (`ESC [ … final`, `ESC ] … BEL`).
enum Decolorize {
    static func strip(_ line: [UInt8]) -> [UInt8] {
        guard line.contains(0x1B) || line.contains(0x9B) else { return line }
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        var index = 0
        while index < line.count {
            let byte = line[index]
            if byte == 0x1B, index + 1 < line.count, line[index + 1] == UInt8(ascii: "[") {
                index += 2
                while index < line.count, !(0x40...0x7E).contains(line[index]) { index += 1 }
                index += 1
            } else if byte == 0x1B, index + 1 < line.count, line[index + 1] == UInt8(ascii: "]") {
                index += 2
                while index < line.count, line[index] != 0x07 { index += 1 }
                index += 1
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }
}
