import Testing
import VigilLogQL
@testable import VigilLogStore
import VigilModel
import VigilTestSupport

/// The chunk skip filters: a chunk holding a match is never skipped, and most chunks without one are.
@Suite struct ChunkFilterTests {
    @Test func aNeedlesWholeTokensAreThoseBoundedInsideIt() {
        func whole(_ needle: String) -> [String] {
            let bytes = Array(needle.utf8)
            return LogTokens.wholeTokens(of: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
        }
        #expect(whole("trace-needle-0xdeadbeef") == ["needle"])
        #expect(whole("error") == [])
        #expect(whole("a b c") == ["b"])
        #expect(whole(" timeout ") == ["timeout"])
        #expect(whole(#""trace_id":"4bf92f35""#) == ["trace", "id", "4bf92f35"])
        #expect(whole("-日本語-") == ["日本語"])
        #expect(whole("--") == [])
    }

    /// The token hash is part of the chunk format (filters on disk): the word-at-a-time tail
    /// must give what the byte-at-a-time definition gives, for every length and position.
    @Test func theTokenHashMatchesItsByteAtATimeDefinition() {
        func reference(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64 {
            var hash = UInt64(range.count) &* 0x9E37_79B9_7F4A_7C15
            var index = range.lowerBound
            while index < range.upperBound {
                var word: UInt64 = 0
                var shift: UInt64 = 0
                let end = min(index + 8, range.upperBound)
                while index < end {
                    word |= UInt64(bytes[index]) << shift
                    shift += 8
                    index += 1
                }
                hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
                hash ^= hash >> 29
            }
            return BlockedBloom.mix(hash)
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 1...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let start = Int.random(in: 0..<bytes.count, using: &generator)
            let end = Int.random(in: start...bytes.count, using: &generator)
            let fast = bytes.withUnsafeBytes { LogTokens.hash($0, start..<end) }
            #expect(fast == reference(bytes, start..<end), "\(bytes) \(start)..<\(end)")
        }
    }

    /// Bytes that make tokens and separators collide often: few letters, digits, separators and a
    /// UTF-8 letter.
    static let alphabet: [[UInt8]] = ["a", "b", "c", "1", "2", "-", " ", "\"", ":", ".", "ü", "x"].map { Array($0.utf8) }

    static func randomText(_ random: inout SplitMix64, length: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < length { bytes += alphabet[Int(random.next() % UInt64(alphabet.count))] }
        return bytes
    }

    static func contains(_ line: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= line.count else { return false }
        if needle.isEmpty { return true }
        for start in 0...(line.count - needle.count) where line[start..<start + needle.count].elementsEqual(needle) { return true }
        return false
    }

    /// Random chunks and needles (substrings of lines, with bytes around them, and random text):
    /// wherever brute force finds the needle in a line, the filter must not skip the chunk.
    @Test(arguments: [ChunkFilter.Kind.tokens, .grams])
    func noChunkWithAMatchIsEverSkipped(_ kind: ChunkFilter.Kind) async {
        await offTheCooperativePool { checkNoChunkWithAMatchIsEverSkipped(kind) }
    }

    private func checkNoChunkWithAMatchIsEverSkipped(_ kind: ChunkFilter.Kind) {
        var random = SplitMix64(seed: kind == .tokens ? 1 : 2)
        var present = 0
        var absentTestable = 0
        var absentSkipped = 0
        for _ in 0..<150 {
            let lines = (0..<Int(1 + random.next() % 40)).map { _ in Self.randomText(&random, length: Int(random.next() % 60)) }
            let filter = ChunkFilter(kind, lines: lines, seed: random.next())
            for _ in 0..<60 {
                var needle: [UInt8]
                if random.next() % 2 == 0, let line = lines.randomElement(using: &random), !line.isEmpty {
                    let start = Int(random.next() % UInt64(line.count))
                    needle = Array(line[start..<min(line.count, start + 1 + Int(random.next() % 20))])
                } else {
                    needle = Self.randomText(&random, length: 1 + Int(random.next() % 20))
                }
                let matches = lines.contains { Self.contains($0, needle) }
                let mayContain = filter.mayContain(substring: needle)
                if matches {
                    present += 1
                    #expect(mayContain, "skipped a chunk holding \(String(decoding: needle, as: UTF8.self))")
                } else {
                    let testable = kind == .tokens ? !LogTokens.wholeTokens(of: needle).isEmpty : needle.count >= ChunkFilter.gramLength
                    if testable {
                        absentTestable += 1
                        if !mayContain { absentSkipped += 1 }
                    }
                }
            }
        }
        #expect(present > 1000)
        // The filter does work: most needles it can test and no line holds are ruled out. (Random
        // text over a tiny alphabet shares most tokens, so not nearly all.)
        #expect(absentTestable > 300)
        #expect(absentSkipped * 2 > absentTestable, "\(absentSkipped) of \(absentTestable)")
    }

    /// Realistic lines: a rare ID's chunk is kept, chunks without it skipped, at about the false
    /// positive rate the sizing promises.
    @Test func aRareTokenSkipsAlmostEveryOtherChunk() async {
        await offTheCooperativePool { checkARareTokenSkipsAlmostEveryOtherChunk() }
    }

    private func checkARareTokenSkipsAlmostEveryOtherChunk() {
        var random = SplitMix64(seed: 9)
        var skipped = 0
        let chunks = 300
        for chunk in 0..<chunks {
            let lines = (0..<500).map { _ in
                Array(#"{"level":"info","path":"/api/v1/items/\#(random.next() % 10_000)","trace_id":"\#(String(random.next(), radix: 16))"}"#.utf8)
            }
            let filter = ChunkFilter(.tokens, lines: lines, seed: UInt64(chunk))
            if !filter.mayContain(substring: Array(#""trace_id":"feedface0badc0de""#.utf8)) { skipped += 1 }
            let holds42 = lines.contains { Self.contains($0, Array(#"items/42""#.utf8)) }
            #expect(filter.mayContain(substring: Array(#"items/42""#.utf8)) || !holds42)
            // ~2 bytes of filter a line (1–2 new tokens a line at 10 bits).
            #expect(filter.bloom.byteCount < lines.count * 4)
        }
        #expect(skipped >= chunks * 95 / 100)
    }
}

/// The same property through the store: chunks written, the store reopened (filters read back
/// from their files), and every `|=` needle's matches found with the filters on.
@Suite struct ChunkSkippingStoreTests {
    @Test func searchesWithSkippingFindEveryMatch() async throws {
        try await offTheCooperativePool { try checkSearchesWithSkippingFindEveryMatch() }
    }

    private func checkSearchesWithSkippingFindEveryMatch() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        var options = testOptions()
        options.chunkTargetSize = 2 << 10
        let now = clock.current
        var random = SplitMix64(seed: 21)
        let lines = (0..<800).map { _ in ChunkFilterTests.randomText(&random, length: 10 + Int(random.next() % 50)) }
        do {
            let store = try LogStore.open(directory: directory.path, options: options, clock: clock.function)
            for first in stride(from: 0, to: lines.count, by: 20) {
                let batch = lines[first..<first + 20].map { String(decoding: $0, as: UTF8.self) }
                try store.push(PushFixtures.request(["app": "api"], lines: batch, start: now + Int64(first) * 1000, step: 1000))
            }
            try store.close()
        }
        let store = try LogStore.open(directory: directory.path, options: options, clock: clock.function)
        #expect(store.openReport.chunks >= 8)
        let app = try LabelMatcher(.equal, "app", "api")
        for round in 0..<300 {
            var needle: [UInt8]
            if round % 2 == 0 {
                let line = lines[Int(random.next() % UInt64(lines.count))]
                let start = Int(random.next() % UInt64(line.count))
                needle = Array(line[start..<min(line.count, start + 2 + Int(random.next() % 12))])
            } else {
                needle = ChunkFilterTests.randomText(&random, length: 3 + Int(random.next() % 10))
            }
            let expected = lines.filter { ChunkFilterTests.contains($0, needle) }
            let read = try store.entries([app], substrings: [needle])[["app": "api"]] ?? []
            let found = read.map(\.line).filter { ChunkFilterTests.contains($0, needle) }
            #expect(found == expected, "needle \(String(decoding: needle, as: UTF8.self))")
        }
        #expect(store.bloomSkips > 0)
        try store.close()
    }
}
