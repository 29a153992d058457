import Testing
import VigilExposition

@Suite("Content negotiation")
struct ExpositionFormatTests {
    @Test func contentTypeSelectsParser() {
        #expect(ExpositionFormat(contentType: nil) == .text)
        #expect(ExpositionFormat(contentType: "") == .text)
        #expect(ExpositionFormat(contentType: "text/plain; version=0.0.4; charset=utf-8") == .text)
        #expect(ExpositionFormat(contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8") == .openMetrics)
        #expect(ExpositionFormat(contentType: "Application/OpenMetrics-Text") == .openMetrics)
        #expect(ExpositionFormat(contentType: "application/json") == .text)
    }

    @Test func contentTypesMatchPrometheus() {
        #expect(ExpositionFormat.text.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(ExpositionFormat.openMetrics.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
    }

    @Test(arguments: [
        (nil, ExpositionFormat.text),
        (ExpositionFormat.scrapeAcceptHeader, .openMetrics),
        ("text/plain", .text),
        ("*/*", .text),
        ("application/openmetrics-text", .openMetrics),
        ("application/openmetrics-text; version=0.0.1", .openMetrics),
        ("application/openmetrics-text;version=2.0.0", .text),
        ("text/plain;q=0.9, application/openmetrics-text;q=0.5", .text),
        ("text/plain;q=0.5, application/openmetrics-text;q=0.9", .openMetrics),
        ("application/openmetrics-text;q=0", .text),
        ("application/json, application/openmetrics-text;version=1.0.0;q=0.2", .openMetrics),
        ("text/plain;version=0.0.5, application/openmetrics-text;q=0.1", .openMetrics),
    ] as [(String?, ExpositionFormat)])
    func negotiate(accept: String?, expected: ExpositionFormat) {
        #expect(ExpositionFormat.negotiate(accept: accept) == expected)
    }
}
