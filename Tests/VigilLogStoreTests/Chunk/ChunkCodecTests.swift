import Testing
#if canImport(Glibc)
import Glibc
#endif
import VigilLogQL
@testable import VigilLogStore
import VigilModel
import VigilTestSupport

/// Sealed chunks' block codecs: round trips, corrupt input, and reading version-1 (snappy) chunks.
@Suite struct ChunkCodecTests {
    let app = try! LabelMatcher(.equal, "app", "api")

    /// Lines of many shapes: JSON with numbers, words only, Unicode, empty, any byte (newlines,
    /// NUL, invalid UTF-8), more variables than a template holds, and lines far past a block.
    static func randomEntries(_ random: inout SplitMix64, count: Int, start: Int64) -> [LogEntry] {
        var entries: [LogEntry] = []
        var time = start
        for index in 0..<count {
            let line: [UInt8]
            switch random.next() % 9 {
            case 0: line = Array(#"{"ts":"2026-11-27T22:\#(random.next() % 60):00.\#(random.next() % 1000)Z","status":\#(random.next() % 600),"id":"\#(String(random.next(), radix: 16))"}"#.utf8)
            case 1: line = Array("user logged in from the usual place".utf8)
            case 2: line = Array("日本語のログ 🚀 ünïcödé \(random.next() % 100)x".utf8)
            case 3: line = []
            case 4: line = (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            case 5: line = Array((0..<100).map { "v\($0)=\(random.next() % 1000)" }.joined(separator: " ").utf8)
            case 6: line = Array("\n\n1\n2\n\u{1}3".utf8)
            case 7: line = Array(repeating: UInt8(ascii: "7"), count: Int(random.next() % 3) == 0 ? 300_000 : 5)
            default: line = Array("level=info msg=\"request served\" path=/api/v1/items/\(random.next() % 10_000) took=\(random.next() % 999)ms".utf8)
            }
            var metadata = Labels()
            if random.next() % 5 == 0 { metadata = ["trace_id": String(random.next(), radix: 16), "n": "\(index)"] }
            // Equal timestamps sometimes, so arrival order must survive.
            if random.next() % 4 != 0 { time += Int64(random.next() % 5_000_000) }
            entries.append(LogEntry(timestamp: time, line: line, metadata: metadata))
        }
        return entries
    }

    static func decodeAll(_ chunk: LogChunk, start: Int64 = .min, end: Int64 = .max) throws -> [LogEntry] {
        var out: [LogEntry] = []
        try withBytes(chunk.data ?? []) { raw throws(LogStoreError) in
            try chunk.decode(data: raw, start: start, end: end, context: "test", into: &out)
        }
        return out
    }

    /// Codec 2's full decode is checked in `templatedBlocksRebuildTheirLines` (a smaller chunk:
    /// this suite runs beside the whole test suite on two cores).
    @Test(arguments: [ChunkCodec.brotliSections, .snappy])
    func blocksRoundTrip(_ codec: ChunkCodec) async throws {
        try await offTheCooperativePool { try checkBlocksRoundTrip(codec) }
    }

    private func checkBlocksRoundTrip(_ codec: ChunkCodec) throws {
        var random = SplitMix64(seed: UInt64(codec.rawValue))
        for round in 0..<6 {
            let entries = Self.randomEntries(&random, count: [1, 2, 50, 400, 3000, 9000][round], start: 1_000)
            let chunk = LogChunk(id: 1, entries: entries, codec: codec)
            let sorted = entries.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }.map(\.element)
            #expect(try Self.decodeAll(chunk) == sorted)
            #expect(chunk.entries == entries.count)
            // The filter sealing builds from the codec's token hashes is the one the lines give.
            #expect(chunk.filter == ChunkFilter(.tokens, lines: sorted.map(\.line), seed: 1))
            // A window decodes only its entries.
            let middle = sorted[sorted.count / 2].timestamp
            let window = sorted.filter { $0.timestamp >= middle && $0.timestamp < middle + 20_000_000 }
            #expect(try Self.decodeAll(chunk, start: middle, end: middle + 20_000_000) == window)
        }
    }

    /// The lines of `chunk`'s blocks in the window, rebuilt from their templated form.
    static func templatedLines(_ chunk: LogChunk, start: Int64 = .min, end: Int64 = .max) throws -> [LogEntry] {
        var entries: [LogEntry] = []
        for block in chunk.templated(data: chunk.data!, start: start, end: end, context: "test") ?? [] {
            let head = try block.head()
            for line in head.lines {
                entries.append(LogEntry(timestamp: head.timestamps[line], line: try block.line(line), metadata: head.metadata(line)))
            }
        }
        return entries
    }

    /// Both brotli codecs hand a block over as templates and columns that rebuild its lines, its
    /// window marked, each column fetched on its own; codec 3 flags its digits-only columns.
    @Test(arguments: [ChunkCodec.brotliSections, .brotliColumns])
    func templatedBlocksRebuildTheirLines(_ codec: ChunkCodec) async throws {
        try await offTheCooperativePool { try checkTemplatedBlocksRebuildTheirLines(codec) }
    }

    private func checkTemplatedBlocksRebuildTheirLines(_ codec: ChunkCodec) throws {
        var random = SplitMix64(seed: 11)
        let entries = Self.randomEntries(&random, count: 1500, start: 1_000)
        let chunk = LogChunk(id: 3, entries: entries, codec: codec)
        let sorted = entries.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }.map(\.element)
        let middle = sorted[sorted.count / 2].timestamp
        let window = sorted.filter { $0.timestamp >= middle && $0.timestamp < middle + 500_000_000 }
        let blocks = chunk.templated(data: chunk.data!, start: .min, end: .max, context: "test") ?? []
        let flagged = try blocks.contains { block in try block.head().digitsOnly.contains(true) }
        #expect(try Self.templatedLines(chunk) == sorted && (try Self.decodeAll(chunk)) == sorted && chunk.blocks.count > 1
            && (try Self.templatedLines(chunk, start: middle, end: middle + 500_000_000)) == window
            && flagged == (codec == .brotliSections))
    }

    /// `bytes` decompressed to `length` bytes, or nil on a decode error.
    static func brotliDecoded(_ bytes: [UInt8], length: Int) -> [UInt8]? {
        let result: Result<[UInt8], Brotli.DecodeError> = bytes.withUnsafeBytes { raw in
            Result { () throws(Brotli.DecodeError) -> [UInt8] in try Brotli.decompress(raw, length: length) }
        }
        return try? result.get()
    }

    @Test func brotliRoundTripsAndRefusesTruncatedOrMislabelledStreams() {
        var random = SplitMix64(seed: 17)
        for length in [0, 1, 100, 70_000] {
            let input = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next() % 7) }
            let compressed = Brotli.compress(input, quality: ChunkCodec.brotliQuality, windowBits: ChunkCodec.brotliWindowBits)
            #expect(Self.brotliDecoded(compressed, length: length) == input)
            // Told a different length, or given a cut stream: an error, not a short or long result.
            #expect(Self.brotliDecoded(compressed, length: length + 1) == nil)
            if length > 0 { #expect(Self.brotliDecoded(compressed, length: length - 1) == nil) }
            #expect(Self.brotliDecoded(Array(compressed.dropLast()), length: length) == nil)
        }
    }

    @Test func bigChunksSplitIntoSeveralBlocks() async throws {
        try await offTheCooperativePool { try checkBigChunksSplitIntoSeveralBlocks() }
    }

    private func checkBigChunksSplitIntoSeveralBlocks() throws {
        var random = SplitMix64(seed: 3)
        let entries = Self.randomEntries(&random, count: 30_000, start: 0)
        let chunk = LogChunk(id: 1, entries: entries)
        #expect(chunk.blocks.count >= 2)
        #expect(chunk.blocks.reduce(0) { $0 + $1.entries } == entries.count)
        #expect(try Self.decodeAll(chunk).count == entries.count)
    }

    @Test func templateColumnsSeparateVariablesFromText() throws {
        let lines = [#"{"status":200,"id":"ab12"}"#, #"{"status":404,"id":"cd34"}"#, "no digits here", ""]
        let entries = lines.enumerated().map { LogEntry(timestamp: Int64($0.offset), line: Array($0.element.utf8)) }
        var hashes: [UInt64] = []
        let (head, columns) = TemplateColumns.encode(entries[...], mint: 0, tokenHashes: &hashes)
        let plain = head + columns.joined()
        #expect(hashes.count == 8 + 3)  // status 200 id ab12, twice; no digits here
        // The JSON lines share one template; their variables go to two columns.
        let text = String(decoding: plain, as: UTF8.self)
        #expect(text.contains("200\n404\n"))
        #expect(text.contains("ab12\ncd34\n"))
        #expect(text.split(separator: #"{"status":"#, omittingEmptySubsequences: false).count == 2)  // the shared template, once
        var out: [LogEntry] = []
        try withBytes(plain) { raw throws(LogStoreError) in
            try TemplateColumns.decode(raw, entries: entries.count, mint: 0, start: .min, end: .max, context: "t", into: &out)
        }
        #expect(out == entries)
    }

    /// Random bytes and mutated valid forms into the column decoder: an error naming the place,
    /// or entries, never a crash.
    @Test func corruptPlainFormsThrowTypedErrors() async throws {
        try await offTheCooperativePool { try checkCorruptPlainFormsThrowTypedErrors() }
    }

    private func checkCorruptPlainFormsThrowTypedErrors() throws {
        var random = SplitMix64(seed: 11)
        let entries = Self.randomEntries(&random, count: 200, start: 0)
        var hashes: [UInt64] = []
        let (head, columns) = TemplateColumns.encode(entries[...], mint: 0, tokenHashes: &hashes)
        let plain = head + columns.joined()
        var errors = 0
        for round in 0..<1000 {
            var input: [UInt8]
            if round % 3 == 0 {
                input = (0..<Int(random.next() % 600)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                input = plain
                for _ in 0..<(1 + Int(random.next() % 4)) {
                    let position = Int(random.next() % UInt64(input.count))
                    switch random.next() % 3 {
                    case 0: input[position] = UInt8(truncatingIfNeeded: random.next())
                    case 1: input.removeSubrange(position...)
                    default: input.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
                    }
                    if input.isEmpty { break }
                }
            }
            var out: [LogEntry] = []
            do {
                try withBytes(input) { raw throws(LogStoreError) in
                    try TemplateColumns.decode(
                        raw, entries: round % 2 == 0 ? entries.count : Int(random.next() % 100_000), mint: 0, start: .min, end: .max,
                        context: "f.chunk: block at byte 14", into: &out)
                }
            } catch {
                #expect(error.message.hasPrefix("f.chunk: block at byte 14"), "\(error.message)")
                #expect(error.message.contains("byte"))
                errors += 1
            }
        }
        #expect(errors > 500)
    }

    /// Mutated compressed blocks with their CRC fixed, so brotli and the column decoder see them.
    @Test(arguments: [ChunkCodec.brotliSections, .brotliColumns, .snappy])
    func corruptBlocksThrowTypedErrors(_ codec: ChunkCodec) async throws {
        try await offTheCooperativePool { try checkCorruptBlocksThrowTypedErrors(codec) }
    }

    private func checkCorruptBlocksThrowTypedErrors(_ codec: ChunkCodec) throws {
        var random = SplitMix64(seed: 5)
        let entries = Self.randomEntries(&random, count: 500, start: 0)
        let chunk = LogChunk(id: 9, entries: entries, codec: codec)
        let block = chunk.blocks[0]
        var errors = 0
        for round in 0..<400 {
            var data = chunk.data!
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let position = block.offset + Int(random.next() % UInt64(block.length))
                data[position] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            }
            var crc = ByteSink()
            crc.uint32(CRC32C.checksum(Array(data[block.offset..<block.offset + block.length])))
            data.replaceSubrange(block.offset + block.length..<block.offset + block.length + 4, with: crc.bytes)
            var mutated = chunk
            mutated.data = data
            do {
                _ = try Self.decodeAll(mutated)
            } catch let error as LogStoreError {
                #expect(error.message.hasPrefix("test: block at byte \(block.offset)"), "\(error.message)")
                errors += 1
            }
            // The templated form fails as cleanly, whether in its head or in a column fetched later
            // (every fourth mutation: decoding is the cost of this test).
            guard round % 4 == 0 else { continue }
            do {
                _ = try Self.templatedLines(mutated)
            } catch let error as LogStoreError {
                #expect(error.message.hasPrefix("test: block at byte \(block.offset)"), "\(error.message)")
            } catch is TemplatedLines.CorruptColumn {}
        }
        #expect(errors > 200)
    }

    /// A corrupt chunk file: the query fails with an error naming the file and the block's offset
    /// in it; opening the store still works.
    @Test func aCorruptChunkFileNamesItsPathAndOffset() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        let now = clock.current
        do {
            let store = try LogStore.open(directory: directory.path, options: testOptions(), clock: clock.function)
            try store.push(PushFixtures.request(["app": "api"], lines: (0..<500).map { "line \($0) of the log" }, start: now))
            try store.close()
        }
        let name = try #require(try FileIO.list(directory.path + "/chunks").first)
        let path = directory.path + "/chunks/" + name
        var bytes = try FileIO.readAll(path)
        let header = try ChunkFile.readHeader(path)
        bytes[header.dataOffset + 10] ^= 0xFF
        try FileIO.writeAtomically(path, bytes, sync: false)
        let store = try LogStore.open(directory: directory.path, options: testOptions(), clock: clock.function)
        #expect(store.openReport.chunks == 1)
        do {
            _ = try store.entries([app])
            Issue.record("a corrupt block was read")
        } catch let error as LogStoreError {
            #expect(error.message == "\(path): block at byte \(header.dataOffset) fails its checksum")
        }
        try store.close()
    }

    /// Chunk files written before codec 2 (version 1: snappy blocks, 4-gram filter) still open,
    /// read and skip, beside new ones.
    @Test func versionOneSnappyChunksStillOpenAndSkip() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        let now = clock.current
        try FileIO.makeDirectories(directory.path + "/chunks")
        let oldLines = (0..<300).map { "old line \($0) status=200" } + ["old needle-4d2f"]
        let old = LogChunk(
            id: 1, entries: oldLines.enumerated().map { LogEntry(timestamp: now + Int64($0.offset), line: Array($0.element.utf8)) },
            codec: .snappy, filter: .grams)
        let file = ChunkFile.encode(old, data: old.data!, tenant: "fake", labels: ["app": "api"], checkpoint: 0)
        #expect(Array(file[4..<6]) == [1, 1])
        try FileIO.writeAtomically(directory.path + "/chunks/" + ChunkFile.name(1), file, sync: false)

        let store = try LogStore.open(directory: directory.path, options: testOptions(), clock: clock.function)
        #expect(store.openReport.chunks == 1 && store.openReport.corruptChunks.isEmpty)
        try store.push(PushFixtures.request(["app": "api"], lines: ["new line 1", "new line 2"], start: now + 1_000_000))
        try store.checkpoint(sealHeads: true)
        let newName = ChunkFile.name(2)
        let newFile = try FileIO.readAll(directory.path + "/chunks/" + newName)
        #expect(Array(newFile[4..<6]) == [2, 3])
        let all = try store.entries([app])[["app": "api"]]?.map { String(decoding: $0.line, as: UTF8.self) }
        #expect(all == oldLines + ["new line 1", "new line 2"])
        // The old chunk's 4-gram filter answers a one-word needle; the new chunk's token filter
        // cannot rule out a needle without a whole token, so only the old chunk is skipped.
        let skips = store.bloomSkips
        let read = try store.entries([app], substrings: [Array("zzzz".utf8)])[["app": "api"]]?.map { String(decoding: $0.line, as: UTF8.self) }
        #expect(read == ["new line 1", "new line 2"])
        #expect(store.bloomSkips == skips + 1)
        let found = try store.entries([app], substrings: [Array("needle-4d2f".utf8)])[["app": "api"]]
        #expect(found?.map { String(decoding: $0.line, as: UTF8.self) }.filter { $0.contains("needle-4d2f") } == ["old needle-4d2f"])
        try store.close()
    }
}
