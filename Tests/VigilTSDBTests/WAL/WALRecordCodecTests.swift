import Testing
import VigilTestSupport
import VigilModel
@testable import VigilTSDB

@Suite struct WALRecordCodecTests {
    private func roundTrip(_ records: [WALRecord]) throws -> [WALRecord] {
        var frame: [UInt8] = []
        WALRecordCodec.appendFrame(records, to: &frame)
        var decoded: [WALRecord] = []
        try frame.withUnsafeBytes { raw in
            let payload = UnsafeRawBufferPointer(rebasing: raw[WALRecordCodec.frameHeaderSize...])
            try WALRecordCodec.decodePayload(payload) { decoded.append($0) }
        }
        return decoded
    }

    @Test func everyRecordTypeRoundTripsWithRandomContent() throws {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<300 {
            let records = RandomRecords.batch(&rng, maxRecords: 6)
            #expect(try roundTrip(records) == records)
        }
    }

    @Test func extremeValuesRoundTrip() throws {
        let records: [WALRecord] = [
            .series([.init(ref: .max, labels: ["__name__": "up", "job": String(repeating: "x", count: 70_000)])]),
            .samples([
                RefSample(ref: .max, timestamp: .min, value: .nan),
                RefSample(ref: 0, timestamp: .max, value: -.infinity),
                RefSample(ref: .max, timestamp: .min, value: StaleNaN.value),
                RefSample(ref: 1, timestamp: 0, value: -0.0),
            ]),
            .tombstones([Tombstone(ref: .max, mint: .min, maxt: .max)]),
            .series([]), .samples([]), .tombstones([]),
        ]
        #expect(try roundTrip(records) == records)
    }

    @Test func samplesAreCompact() {
        // 1000 samples of consecutive refs at one timestamp: 1 + 1 + 8 bytes each after the first.
        let samples = (0..<1000).map { RefSample(ref: 5000 + UInt64($0), timestamp: 1_700_000_000_000, value: 1) }
        var frame: [UInt8] = []
        WALRecordCodec.appendFrame([.samples(samples)], to: &frame)
        #expect(frame.count < 1000 * 10 + 32)
    }

    @Test func damagedPayloadsThrowInsteadOfTrapping() async {
        await offTheCooperativePool { checkDamagedPayloadsThrowInsteadOfTrapping() }
    }

    private func checkDamagedPayloadsThrowInsteadOfTrapping() {
        var rng = SeededGenerator(seed: 9)
        for _ in 0..<2000 {
            var frame: [UInt8] = []
            WALRecordCodec.appendFrame(RandomRecords.batch(&rng), to: &frame)
            var payload = Array(frame[WALRecordCodec.frameHeaderSize...])
            guard !payload.isEmpty else { continue }
            switch Int.random(in: 0..<2, using: &rng) {
            case 0: payload[Int.random(in: 0..<payload.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            default: payload.removeLast(Int.random(in: 1...payload.count, using: &rng))
            }
            // Either decodes (a flip inside a value) or throws; never crashes.
            _ = try? payload.withUnsafeBytes { raw in try WALRecordCodec.decodePayload(raw) { _ in } }
        }
    }
}
