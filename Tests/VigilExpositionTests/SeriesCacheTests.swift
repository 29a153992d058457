import Testing
import VigilTestSupport
import VigilExposition

@Suite("SeriesCache")
struct SeriesCacheTests {
    private func key(_ index: Int) -> [UInt8] {
        Array("node_cpu_seconds_total{cpu=\"\(index % 64)\",mode=\"m\(index)\"}".utf8)
    }

    @Test func insertsAndFindsManyKeys() {
        var cache = SeriesCache<Int>()
        for index in 0..<10_000 {
            let old = key(index).withUnsafeBytes { cache.updateValue(index, forKey: $0) }
            #expect(old == nil)
        }
        #expect(cache.count == 10_000)
        for index in 0..<10_000 {
            #expect(key(index).withUnsafeBytes { cache.value(forKey: $0) } == index)
        }
        for index in 10_000..<10_100 {
            #expect(key(index).withUnsafeBytes { cache.value(forKey: $0) } == nil)
        }
        let prefix = Array(key(5).dropLast())
        #expect(prefix.withUnsafeBytes { cache.value(forKey: $0) } == nil)
    }

    @Test func updatesInPlaceAndReturnsOldValue() throws {
        var cache = SeriesCache<String>(minimumCapacity: 4)
        let a = Array("a".utf8)
        #expect(a.withUnsafeBytes { cache.updateValue("one", forKey: $0) } == nil)
        #expect(a.withUnsafeBytes { cache.updateValue("two", forKey: $0) } == "one")
        let entry = try #require(a.withUnsafeBytes { cache.entryIndex(forKey: $0) })
        cache[entry: entry] = "three"
        #expect(a.withUnsafeBytes { cache.value(forKey: $0) } == "three")
        #expect(cache.count == 1)
        let empty: [UInt8] = []
        #expect(empty.withUnsafeBytes { cache.value(forKey: $0) } == nil)
        empty.withUnsafeBytes { _ = cache.updateValue("empty", forKey: $0) }
        #expect(empty.withUnsafeBytes { cache.value(forKey: $0) } == "empty")
    }

    @Test func removeAllWhereKeepsTheRest() {
        var cache = SeriesCache<Int>()
        for index in 0..<1000 { key(index).withUnsafeBytes { _ = cache.updateValue(index, forKey: $0) } }
        cache.removeAll { $0 % 3 == 0 }
        #expect(cache.count == 666)
        for index in 0..<1000 {
            let found = key(index).withUnsafeBytes { cache.value(forKey: $0) }
            #expect(found == (index % 3 == 0 ? nil : index))
        }
        var seen = 0
        cache.forEach { keyBytes, value in
            #expect(Array(keyBytes) == key(value))
            seen += 1
        }
        #expect(seen == 666)
        cache.removeAll(keepingCapacity: true)
        #expect(cache.isEmpty)
        #expect(key(1).withUnsafeBytes { cache.value(forKey: $0) } == nil)
    }

    @Test func scrapeLoopUsesTheCacheForKnownSeries() throws {
        let payload = nodeExporterPayload(series: 3000)
        var cache = SeriesCache<Int>()
        let first = try payload.withUnsafeBytes { buffer throws(ExpositionError) in
            var parser = TextParser(bytes: buffer)
            return try parseAll(&parser, cache: &cache)
        }
        let distinct = cache.count
        let second = try payload.withUnsafeBytes { buffer throws(ExpositionError) in
            var parser = TextParser(bytes: buffer)
            return try parseAll(&parser, cache: &cache)
        }
        #expect(first == second)
        #expect(cache.count == distinct)
        #expect(distinct == first)
    }
}
