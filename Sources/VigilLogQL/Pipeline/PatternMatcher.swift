/// LogQL's `pattern` expressions: `<ip> - <_> [<ts>] "<method> <path> <_>" <status>`.
///
/// Literals anchor the captures between them: a leading literal must start the line; each
/// capture runs to the next occurrence of the literal after it; a capture at the end takes the
/// rest. When a literal is missing, the capture before it takes the rest and matching stops.
struct PatternMatcher: Sendable {
    enum Part: Sendable {
        case literal(ByteSearch.Needle)
        case capture(String?) // nil for `<_>`
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let parts: [Part]

    init(_ pattern: String) throws(Failure) {
        var parts: [Part] = []
        var literal: [UInt8] = []
        let bytes = Array(pattern.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<"), let close = Self.captureEnd(bytes, from: index) {
                let name = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                if !literal.isEmpty { parts.append(.literal(ByteSearch.Needle(literal))); literal = [] }
                if case .capture(let previous)? = parts.last {
                    throw Failure(description: "found consecutive capture '<\(previous ?? "_")>' '<\(name)>': " + pattern)
                }
                parts.append(.capture(name == "_" ? nil : name))
                index = close + 1
            } else {
                literal.append(bytes[index])
                index += 1
            }
        }
        if !literal.isEmpty { parts.append(.literal(ByteSearch.Needle(literal))) }
        let names = parts.compactMap { part -> String? in
            if case .capture(let name?) = part { return name }
            return nil
        }
        guard !names.isEmpty else { throw Failure(description: "at least one capture is required: " + pattern) }
        guard Set(names).count == names.count else { throw Failure(description: "duplicate capture name: " + pattern) }
        self.parts = parts
    }

    /// `<name>` where name is `_` or an identifier; nil when the `<` does not open a capture.
    static func captureEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start + 1
        guard index < bytes.count, Lexer.isIdentifierStart(bytes[index]) else { return nil }
        while index < bytes.count, Lexer.isLetter(bytes[index]) || Lexer.isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") {
            index += 1
        }
        return index < bytes.count && bytes[index] == UInt8(ascii: ">") ? index : nil
    }

    /// Calls `emit` for the named captures found in `line`.
    func match(_ line: UnsafeRawBufferPointer, _ emit: (String, String) -> Void) {
        var position = 0
        var partIndex = 0
        if case .literal(let literal)? = parts.first {
            let bytes = literal.bytes
            guard line.count >= bytes.count, bytes.indices.allSatisfy({ line[$0] == bytes[$0] }) else { return }
            position = bytes.count
            partIndex = 1
        }
        while partIndex < parts.count {
            guard case .capture(let name) = parts[partIndex] else { return }
            if partIndex == parts.count - 1 {
                if let name { emit(name, text(line, position, line.count)) }
                return
            }
            guard case .literal(let literal) = parts[partIndex + 1] else { return }
            guard let found = ByteSearch.index(of: literal, in: line, from: position) else {
                if let name { emit(name, text(line, position, line.count)) }
                return
            }
            if let name { emit(name, text(line, position, found)) }
            position = found + literal.bytes.count
            partIndex += 2
        }
    }

    private func text(_ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
    }
}
