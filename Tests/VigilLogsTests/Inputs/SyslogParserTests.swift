import Testing
import VigilConfig
import VigilTestSupport
@testable import VigilLogs

@Suite struct SyslogParserTests {
    // 2026-11-27T12:00:00Z
    let parser = SyslogParser(now: 1_795_780_800 * 1_000_000_000, utcOffset: 0)

    func parse(_ text: String) throws(SyslogParseError) -> SyslogMessage {
        try parser.parse(Array(text.utf8))
    }

    @Test func rfc5424WithStructuredDataAndBOM() throws {
        let message = try parse(
            "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 4711 ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Appl\\\"ication\"][x@1 a=\"]\\]\"] \u{FEFF}An application event")
        #expect(message.format == .rfc5424)
        #expect(message.priority.facilityName == "local4")
        #expect(message.priority.severityName == "notice")
        #expect(message.timestamp == 1_065_910_455_003_000_000)
        #expect(message.hostname == "mymachine.example.com")
        #expect(message.appName == "evntslog")
        #expect(message.procID == "4711")
        #expect(message.msgID == "ID47")
        #expect(message.structuredData == "[exampleSDID@32473 iut=\"3\" eventSource=\"Appl\\\"ication\"][x@1 a=\"]\\]\"]")
        #expect(String(decoding: message.message, as: UTF8.self) == "An application event")
    }

    @Test func rfc5424NilFieldsAndNoMessage() throws {
        let message = try parse("<34>1 - - - - - -")
        #expect(message.priority == SyslogPriority(facility: 4, severity: 2))
        #expect(message.timestamp == nil && message.hostname == nil && message.appName == nil)
        #expect(message.procID == nil && message.msgID == nil && message.structuredData == nil)
        #expect(message.message.isEmpty)
    }

    @Test(arguments: [
        ("<34>1 2003-10-11T22:14:15Z host app - ID47 [a", "byte 45: expected ] to close an SD element", 45),
        ("<34>1 2003-10-11T22:14:15Z host app - ID47 [a b=\"c", "unterminated SD parameter value", 50),
        ("<34>1 yesterday host app - - -", "is not RFC 3339", 6),
        ("<34>1 2003-10-11T22:14:15Z host app - - nope", "STRUCTURED-DATA must be - or start with [", 40),
        ("<192>hello", "PRI 192 is above 191", 1),
        ("<1x>hello", "PRI must be <0-191>", 2),
        ("<34>1 - - - -", "missing MSGID", 13),
        ("", "empty message", 0),
    ])
    func malformedMessagesNameTheByte(text: String, expected: String, offset: Int) {
        do {
            let message = try parse(text)
            Issue.record("accepted: \(message)")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.offset == offset, "\(error)")
        }
    }

    @Test func rfc3164WithHostnameTagAndPID() throws {
        let message = try parse("<38>Nov 27 10:03:04 web-1 sshd[2211]: Accepted publickey for root")
        #expect(message.format == .rfc3164)
        #expect(message.priority.facilityName == "auth")
        #expect(message.priority.severityName == "info")
        #expect(message.hostname == "web-1")
        #expect(message.appName == "sshd")
        #expect(message.procID == "2211")
        let expected: Int64 = (1_795_780_800 - 12 * 3600 + 10 * 3600 + 3 * 60 + 4) * 1_000_000_000
        #expect(message.timestamp == expected)
        #expect(String(decoding: message.message, as: UTF8.self) == "Accepted publickey for root")
    }

    @Test func rfc3164FromALocalSocketHasNoHostname() throws {
        let message = try parse("<13>Nov  7 01:02:03 myapp: hello there\n")
        #expect(message.hostname == nil)
        #expect(message.appName == "myapp")
        #expect(String(decoding: message.message, as: UTF8.self) == "hello there")
    }

    @Test func rfc3164TakesTheYearNearestNow() throws {
        // On 2026-11-27, Dec 31 is 34 days ahead this year and 331 days back last year: this year's.
        let december = try parse("<13>Dec 31 23:59:59 h a: x")
        let thisYear: Int64 = 1_798_761_599 * 1_000_000_000
        #expect(december.timestamp == thisYear)
        // Jan 30 is 64 days ahead next year and 301 days back this year: next year's.
        let january = try parse("<13>Jan 30 00:00:00 h a: x")
        let nextYear: Int64 = 1_801_267_200 * 1_000_000_000
        #expect(january.timestamp == nextYear)
    }

    @Test func rfc3164WithAnRFC3339Timestamp() throws {
        let message = try parse("<86>2026-11-27T10:00:00.5+01:00 host su: done")
        #expect(message.timestamp == 1_795_770_000_500_000_000)
        #expect(message.hostname == "host" && message.appName == "su")
    }

    @Test func withoutPRIOrHeaderTheWholeTextIsUserNotice() throws {
        let message = try parse("just some text: with a colon")
        #expect(message.priority == SyslogPriority(facility: 1, severity: 5))
        #expect(message.hostname == nil)
        #expect(message.appName == "just" || message.appName == nil)
        let plain = try parse("plain words")
        #expect(plain.appName == nil)
        #expect(String(decoding: plain.message, as: UTF8.self) == "plain words")
    }

    @Test func fuzzedMessagesParseOrThrowNeverCrash() {
        var random = SplitMix64(seed: 5424)
        let seeds = [
            "<165>1 2003-10-11T22:14:15.003Z host app 1 ID [a b=\"c\"] msg", "<38>Nov 27 10:03:04 web-1 sshd[2211]: text",
            "<13>Nov  7 01:02:03 myapp: hello",
        ].map { Array($0.utf8) }
        var parsed = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 4 == 0 {
                bytes = (0..<Int.random(in: 0..<80, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                bytes = seeds[round % seeds.count]
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                    case 1: bytes.remove(at: index)
                    default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
                    }
                    if bytes.isEmpty { break }
                }
            }
            if let message = try? parser.parse(bytes) {
                parsed += 1
                #expect(message.message.count <= bytes.count)
            }
        }
        #expect(parsed > 1000)
    }
}
