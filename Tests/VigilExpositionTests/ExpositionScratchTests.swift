import Testing
import VigilExposition
import VigilModel
import VigilTestSupport

@Suite struct ExpositionScratchTests {
    /// Parses `text` with a parser that borrows `scratch`, returning the series names or the error.
    private func names(_ text: String, format: ExpositionFormat, scratch: ExpositionScratch) throws(ExpositionError) -> [String] {
        let bytes = Array(text.utf8)
        let result: Result<[String], ExpositionError> = bytes.withUnsafeBytes { buffer in
            do throws(ExpositionError) {
                var names: [String] = []
                switch format {
                case .text:
                    var parser = TextParser(bytes: buffer, scratch: scratch)
                    while let entry = try parser.next() {
                        if entry == .series { names.append(parser.labels().name ?? "") }
                    }
                case .openMetrics:
                    var parser = OpenMetricsParser(bytes: buffer, scratch: scratch)
                    while let entry = try parser.next() {
                        if entry == .series { names.append(parser.labels().name ?? "") }
                    }
                }
                return .success(names)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    @Test func reusedScratchStartsEachTextScrapeClean() throws {
        let scratch = ExpositionScratch()
        let page = "# HELP a Help.\n# TYPE a counter\na 1\n"
        for _ in 0..<3 {
            // HELP/TYPE seen in the previous scrape must not count as duplicates in this one.
            #expect(try names(page, format: .text, scratch: scratch) == ["a"])
        }
        #expect(throws: ExpositionError.self) { try names(page + page, format: .text, scratch: scratch) }
        #expect(try names(page, format: .text, scratch: scratch) == ["a"])
    }

    @Test func reusedScratchStartsEachOpenMetricsScrapeClean() throws {
        let scratch = ExpositionScratch()
        let page = "# TYPE a gauge\na 1\n# TYPE b gauge\nb 2\n# EOF\n"
        for _ in 0..<3 {
            #expect(try names(page, format: .openMetrics, scratch: scratch) == ["a", "b"])
        }
        let repeated = "# TYPE a gauge\na 1\n# TYPE b gauge\nb 2\n# TYPE a gauge\na 3\n# EOF\n"
        #expect(throws: ExpositionError.self) { try names(repeated, format: .openMetrics, scratch: scratch) }
        #expect(try names(page, format: .openMetrics, scratch: scratch) == ["a", "b"])
    }

    @Test func largePayloadParsesIdenticallyWithReusedScratch() throws {
        let scratch = ExpositionScratch()
        let payload = String(decoding: nodeExporterPayload(series: 2_000), as: UTF8.self)
        let first = try names(payload, format: .text, scratch: scratch)
        let second = try names(payload, format: .text, scratch: scratch)
        #expect(first.count >= 2_000)
        #expect(first == second)
    }
}
