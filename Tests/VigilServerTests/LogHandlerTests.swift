import Testing
@testable import VigilLogging
import VigilModel

@Suite struct LogHandlerTests {
    @Test func logfmtQuotesOnlyWhenNeeded() {
        #expect(LogfmtLogHandler.quoted("plain") == "plain")
        #expect(LogfmtLogHandler.quoted("") == "\"\"")
        #expect(LogfmtLogHandler.quoted("two words") == "\"two words\"")
        #expect(LogfmtLogHandler.quoted("a=b") == "\"a=b\"")
        #expect(LogfmtLogHandler.quoted("say \"hi\"\n") == "\"say \\\"hi\\\"\\n\"")
    }

    @Test func jsonEscapesControlCharacters() {
        #expect(JSONQuoting.quote("a\"b\\c\n\u{01}") == "\"a\\\"b\\\\c\\n\\u0001\"")
        #expect(JSONQuoting.quote("Grüße") == "\"Grüße\"")
    }
}
