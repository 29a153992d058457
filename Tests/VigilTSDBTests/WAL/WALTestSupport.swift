import Foundation
import VigilModel
import VigilTestSupport
@testable import VigilTSDB

/// The seeded generator every random test here uses, so each run replays the same way.
typealias SeededGenerator = SplitMix64

/// A fresh directory under the system temp dir, removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String
    init(_ name: String = "wal") {
        path = FileManager.default.temporaryDirectory.path + "/vigil-\(name)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

enum RandomRecords {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:-./ é日本🙂\"\\\n")

    static func string(_ rng: inout SeededGenerator, maxLength: Int) -> String {
        let length = Int.random(in: 0...maxLength, using: &rng)
        return String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
    }

    static func labels(_ rng: inout SeededGenerator) -> Labels {
        var pairs: [Label] = [Label(name: "__name__", value: "metric_\(Int.random(in: 0..<50, using: &rng))")]
        for index in 0..<Int.random(in: 0...8, using: &rng) {
            pairs.append(Label(name: "l\(index)_" + string(&rng, maxLength: 6), value: "v" + string(&rng, maxLength: 40)))
        }
        return Labels(pairs)
    }

    static func int64(_ rng: inout SeededGenerator) -> Int64 {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return .min
        case 1: return .max
        case 2: return Int64.random(in: -1000...1000, using: &rng)
        default: return 1_700_000_000_000 + Int64.random(in: -10_000_000...10_000_000, using: &rng)
        }
    }

    static func ref(_ rng: inout SeededGenerator) -> SeriesRef {
        Bool.random(using: &rng) ? UInt64.random(in: 0..<100_000, using: &rng) : rng.next()
    }

    static func value(_ rng: inout SeededGenerator) -> Double {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return Double(bitPattern: rng.next())  // any bit pattern, NaNs included
        case 1: return StaleNaN.value
        default: return Double.random(in: -1e6...1e6, using: &rng)
        }
    }

    static func record(_ rng: inout SeededGenerator, maxItems: Int = 40) -> WALRecord {
        let count = Int.random(in: 0...maxItems, using: &rng)
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            return .series((0..<count).map { _ in .init(ref: ref(&rng), labels: labels(&rng)) })
        case 1:
            return .samples((0..<count).map { _ in RefSample(ref: ref(&rng), timestamp: int64(&rng), value: value(&rng)) })
        default:
            return .tombstones((0..<count).map { _ in Tombstone(ref: ref(&rng), mint: int64(&rng), maxt: int64(&rng)) })
        }
    }

    static func batch(_ rng: inout SeededGenerator, maxRecords: Int = 4, maxItems: Int = 40) -> [WALRecord] {
        (0..<Int.random(in: 1...maxRecords, using: &rng)).map { _ in record(&rng, maxItems: maxItems) }
    }
}

extension WAL {
    /// Every record replay returns, with the report.
    func replayAll() throws -> ([WALRecord], ReplayReport) {
        var records: [WALRecord] = []
        let report = try replay { records.append($0) }
        return (records, report)
    }
}

/// Where each frame of a WAL directory sits, in log order: (segment index, offset, size).
func frameLayout(_ directory: String) throws -> [(segment: Int, offset: Int64, size: Int64)] {
    var frames: [(segment: Int, offset: Int64, size: Int64)] = []
    let indexes = try FileManager.default.contentsOfDirectory(atPath: directory).compactMap(WALFileSystem.segmentIndex).sorted()
    for index in indexes {
        _ = try SegmentScanner.scan(path: directory + "/" + WALFileSystem.segmentName(index)) { payload, offset in
            frames.append((index, offset, Int64(payload.count + WALRecordCodec.frameHeaderSize)))
        }
    }
    return frames
}
