import Testing
import VigilConfig
import VigilTestSupport
@testable import VigilLogs

@Suite struct SyslogFrameDecoderTests {
    func decodeAll(_ stream: [UInt8], framing: SyslogInputConfig.Framing, pieces: Int) throws -> [String] {
        var decoder = SyslogFrameDecoder(framing: framing, maxMessageSize: 1024)
        var messages: [String] = []
        let step = max(1, stream.count / pieces)
        var index = 0
        while index < stream.count {
            decoder.append(stream[index..<min(stream.count, index + step)])
            index += step
            while let message = try decoder.next() { messages.append(String(decoding: message, as: UTF8.self)) }
        }
        if let last = decoder.finish() { messages.append(String(decoding: last, as: UTF8.self)) }
        return messages
    }

    @Test(arguments: [1, 3, 7, 1000])
    func octetCountedNewlineAndMixedInAnyPieces(pieces: Int) throws {
        let octet = Array("12 <13>hi\nthere10 <14>second".utf8)
        #expect(try decodeAll(octet, framing: .octetCounted, pieces: pieces) == ["<13>hi\nthere", "<14>second"])
        let lines = Array("<13>one\r\n<13>two\n\n<13>three".utf8)
        #expect(try decodeAll(lines, framing: .newline, pieces: pieces) == ["<13>one\r", "<13>two", "<13>three"])
        let mixed = Array("5 <1>ab<2>line\n6 <3>x y\n".utf8)
        #expect(try decodeAll(mixed, framing: .auto, pieces: pieces) == ["<1>ab", "<2>line", "<3>x y"])
    }

    @Test func aCutOctetFrameAtTheEndIsNotAMessage() throws {
        #expect(try decodeAll(Array("20 <13>short".utf8), framing: .auto, pieces: 1).isEmpty)
    }

    @Test func oversizedFramesAndLinesFailNamingTheStreamOffset() {
        var decoder = SyslogFrameDecoder(framing: .auto, maxMessageSize: 16)
        decoder.append(Array("5 <1>ab99999 <1>x".utf8))
        #expect((try? decoder.next()) == Array("<1>ab".utf8))
        #expect(throws: SyslogParseError(message: "octet count exceeds max_message_size (16)", offset: 7)) { try decoder.next() }
        var lines = SyslogFrameDecoder(framing: .newline, maxMessageSize: 16)
        lines.append(Array("<1>ok\n".utf8) + [UInt8](repeating: 65, count: 40))
        #expect((try? lines.next()) == Array("<1>ok".utf8))
        #expect(throws: SyslogParseError(message: "a line runs past max_message_size (16) without a newline", offset: 6)) {
            try lines.next()
        }
        var garbage = SyslogFrameDecoder(framing: .octetCounted, maxMessageSize: 16)
        garbage.append(Array("<1>no count\n".utf8))
        #expect(throws: SyslogParseError.self) { try garbage.next() }
    }

    @Test func fuzzedStreamsDecodeOrThrowNeverCrash() {
        var random = SplitMix64(seed: 6587)
        for _ in 0..<3000 {
            var decoder = SyslogFrameDecoder(
                framing: [.auto, .newline, .octetCounted][Int.random(in: 0..<3, using: &random)], maxMessageSize: 64)
            let alphabet = Array("0123456789 <>\n\rab".utf8)
            let stream = (0..<Int.random(in: 0..<200, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            decoder.append(stream)
            var total = 0
            while let message = try? decoder.next() {
                total += message.count
                #expect(message.count <= 64)
            }
            #expect(total <= stream.count)
            #expect(decoder.pendingBytes <= stream.count)
        }
    }
}
