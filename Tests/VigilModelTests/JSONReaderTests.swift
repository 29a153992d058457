import Testing
import VigilModel
import VigilTestSupport

@Suite("JSON reader")
struct JSONReaderTests {
    /// Reads `text` as an array of objects of string values.
    private func objects(_ text: String) throws(JSONReader.Error) -> [[String: String]] {
        var reader = JSONReader(Array(text.utf8))
        var out: [[String: String]] = []
        try reader.readArray { (reader: inout JSONReader) throws(JSONReader.Error) in
            var object: [String: String] = [:]
            try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Error) in
                object[key] = try reader.readString()
            }
            out.append(object)
        }
        try reader.expectEnd()
        return out
    }

    @Test("strings with every escape, surrogate pairs and raw UTF-8; empty containers; whitespace")
    func reads() throws {
        let parsed = try objects(#" [ {"a":"x\"y\\z\/\b\f\n\r\t","é":"\u00e9\u20ac\ud83d\ude00"} , {} ] "#)
        #expect(parsed == [["a": "x\"y\\z/\u{08}\u{0C}\n\r\t", "é": "é€😀"], [:]])
        #expect(try objects("[]") == [])
    }

    @Test("strings of every length with escapes anywhere read back as written; a raw control character anywhere fails")
    func stringsAcrossWordBoundaries() throws {
        var random = SplitMix64(seed: 9)
        let pieces: [String] = ["a", "b", "\"", "\\", "\n", "\u{1}", "é", "€", "😀", "/", "\u{7f}"]
        for _ in 0..<1000 {
            let value = (0..<Int(random.next() % 40)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            let key = String(value.prefix(Int(random.next() % 12)))
            var object: [String: String] = [:]
            let text = "[{" + JSONQuoting.quote(key) + ":" + JSONQuoting.quote(value) + "}]"
            object[key] = value
            #expect(try objects(text) == [object], "\(text)")
            // The same document with one raw control character inside the value.
            var bytes = Array(text.utf8)
            // The value's text starts after its opening quote; its closing quote is at count - 3.
            let valueStart = bytes.count - 1 - JSONQuoting.quote(value).utf8.count
            bytes.insert(0x0a, at: valueStart + Int(random.next() % UInt64(bytes.count - 3 - valueStart + 1)))
            var reader = JSONReader(bytes)
            #expect(throws: JSONReader.Error.self) {
                try reader.readArray { (reader: inout JSONReader) throws(JSONReader.Error) in
                    try reader.readObject { (reader: inout JSONReader, _: String) throws(JSONReader.Error) in _ = try reader.readString() }
                }
            }
        }
    }

    @Test("skipValue passes over numbers, booleans, null and nested values")
    func skips() throws {
        var reader = JSONReader(Array(#"{"n":-1.5e+3,"b":[true,false,null,{"x":[1,2,{}]}],"s":"v"}"#.utf8))
        var kept: [String] = []
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Error) in
            if key == "s" { kept.append(try reader.readString()) } else { try reader.skipValue() }
        }
        try reader.expectEnd()
        #expect(kept == ["v"])
    }

    @Test("malformed documents fail with the byte offset of the problem")
    func errors() {
        let cases: [(String, String, Int)] = [
            (#"[{"a":"b"]"#, "expected ',' or '}'", 9),
            (#"[{"a":1}]"#, "expected a string", 6),
            (#"[{"a":"b"}] x"#, "unexpected data after the value", 12),
            ("[{\"a\":\"b\u{01}\"}]", "control character in string", 8),
            (#"[{"a":"\q"}]"#, "invalid escape", 8),
            (#"[{"a":"b"#, "unterminated string", 8),
        ]
        for (text, message, offset) in cases {
            do {
                _ = try objects(text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.message == message, "\(text)")
                #expect(error.offset == offset, "\(text): \(error)")
            }
        }
    }

    @Test("nesting is bounded")
    func depth() {
        var reader = JSONReader(Array(String(repeating: "[", count: 10_000).utf8))
        #expect(throws: JSONReader.Error.self) { try reader.skipValue() }
    }

    @Test("random and mutated input never traps")
    func fuzz() {
        var random = SplitMix64(seed: 42)
        let seeds = [#"[{"labels":{"a":"b"},"annotations":{"x":"\u00e9"},"startsAt":"2026-01-01T00:00:00Z"}]"#, #"{"k":[1,-2.5e3,true,null,"s"]}"#]
        let alphabet = Array(#"[]{}":,\ u0123456789abcdefnrt-+.eE"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF]
        for round in 0..<4000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let position = Int(random.next() % UInt64(bytes.count + 1))
                let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
                switch random.next() % 3 {
                case 0 where position < bytes.count: bytes[position] = byte
                case 1 where position < bytes.count: bytes.remove(at: position)
                default: bytes.insert(byte, at: position)
                }
            }
            var reader = JSONReader(bytes)
            do {
                try reader.skipValue()
                try reader.expectEnd()
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
    }
}
