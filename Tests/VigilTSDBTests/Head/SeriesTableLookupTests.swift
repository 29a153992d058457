import Testing
import VigilModel
import VigilTestSupport
@testable import VigilTSDB

/// The head's by-ref table: label values and names over a batch of refs equal what the series'
/// own labels say, through inserts, removals, page compaction and symbol rebuilds.
@Suite("Series table lookups")
struct SeriesTableLookupTests {
    static func randomLabels(_ rng: inout SplitMix64, serial: Int) -> Labels {
        var builder = LabelsBuilder()
        builder.set("__name__", "m\(Int.random(in: 0..<3, using: &rng))")
        builder.set("id", "id-\(serial)")
        if Bool.random(using: &rng) { builder.set("zone", "z\(Int.random(in: 0..<4, using: &rng))") }
        if Int.random(in: 0..<5, using: &rng) == 0 { builder.set("rare", "r\(serial % 7)") }
        return builder.build()
    }

    @Test("values and names over random refs match the series' labels through churn")
    func lookupsMatchTheLabels() {
        var rng = SplitMix64(seed: 21)
        var table = SeriesTable()
        var live: [SeriesRef: MemSeries] = [:]
        var serial = 0
        // Refs spread over several pages, plus one the table cannot cover.
        let refPool: [SeriesRef] = (1...3000).map { SeriesRef($0) } + (9000...9100).map { SeriesRef($0) } + [1 << 40]
        for round in 0..<60 {
            for _ in 0..<200 {
                let ref = refPool.randomElement(using: &rng)!
                if live[ref] != nil && Bool.random(using: &rng) {
                    table.remove(ref)
                    live[ref] = nil
                } else {
                    serial += 1
                    let series = MemSeries(ref: ref, labels: Self.randomLabels(&rng, serial: serial), hash: serial)
                    table.insert(ref, series)
                    if SeriesTable.covers(ref) { live[ref] = series }
                }
            }
            if round % 10 == 9 { table.dropUnusedSymbols(slack: 0) }
            let refs = refPool.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }.sorted()
            for name in ["__name__", "id", "zone", "rare", "absent"] {
                let expected = Set(refs.compactMap { live[$0]?.labels[name] })
                let (values, uncovered) = table.labelValues(name, refs: refs)
                #expect(Set(values) == expected, "round \(round) name \(name)")
                #expect(values.count == expected.count, "round \(round): values are distinct")
                #expect(uncovered.allSatisfy { !SeriesTable.covers($0) })
            }
            let expectedNames = Set(refs.flatMap { live[$0]?.labels.map(\.name) ?? [] })
            let names = table.labelNames(refs: refs).names
            #expect(Set(names) == expectedNames, "round \(round)")
            for ref in refs where SeriesTable.covers(ref) {
                let got = table.get(ref)
                #expect(got === live[ref], "round \(round) ref \(ref)")
            }
        }
    }

    @Test("a head answers label values with matchers from the table, also after truncation")
    func headLabelValuesWithMatchers() throws {
        let head = Head()
        var appender = head.appender()
        for index in 0..<500 {
            let labels: Labels = ["__name__": "wide", "pod": "pod-\(index)", "zone": "z\(index % 4)"]
            _ = try appender.append(ref: nil, labels: labels, timestamp: index < 250 ? 1_000 : 9_000_000, value: 1)
        }
        try appender.commit()
        let matchers = [try LabelMatcher(.equal, "zone", "z1")]
        let querier = HeadQuerier(head: head)
        let before = try querier.labelValues("pod", matchers: matchers, mint: .min, maxt: .max)
        let expectedBefore = (0..<500).filter { $0 % 4 == 1 }.map { "pod-\($0)" }.sorted(by: ByteOrder.less)
        #expect(before == expectedBefore)
        head.truncate(before: 5_000_000)
        let after = try querier.labelValues("pod", matchers: matchers, mint: .min, maxt: .max)
        let expectedAfter = (250..<500).filter { $0 % 4 == 1 }.map { "pod-\($0)" }.sorted(by: ByteOrder.less)
        #expect(after == expectedAfter)
        let names = try querier.labelNames(matchers: matchers, mint: .min, maxt: .max)
        #expect(names == ["__name__", "pod", "zone"])
    }
}
