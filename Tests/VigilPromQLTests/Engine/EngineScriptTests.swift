import Testing

@Suite struct EngineScriptTests {
    static func check(_ script: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let failures = PromQLTestScript(text: script).run()
        #expect(failures.isEmpty, Comment(rawValue: "\n" + failures.joined(separator: "\n")), sourceLocation: sourceLocation)
    }

    @Test func selectors() { Self.check(EngineScripts.selectors) }
    @Test func rates() { Self.check(EngineScripts.rates) }
    @Test func overTime() { Self.check(EngineScripts.overTime) }
    @Test func histograms() { Self.check(EngineScripts.histograms) }
    @Test func functions() { Self.check(EngineScripts.functions) }
    @Test func aggregations() { Self.check(EngineScripts.aggregations) }
    @Test func operators() { Self.check(EngineScripts.operators) }
    @Test func subqueries() { Self.check(EngineScripts.subqueries) }
}
