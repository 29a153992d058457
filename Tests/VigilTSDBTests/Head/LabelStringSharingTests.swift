import Testing
import VigilModel
@testable import VigilTSDB
import VigilTestSupport

/// Series created one by one, replayed from the WAL or loaded from a head snapshot keep one copy
/// of each long label string between them, whatever copies their requests carried.
@Suite struct LabelStringSharingTests {
    /// The address of a string's UTF-8 storage (nil for strings stored inline).
    static func storage(_ string: String) -> UnsafeRawPointer? {
        string.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    /// Labels built from fresh string copies, as a decoded request gives them.
    static func labels(cpu: Int) -> Labels {
        let name = String(decoding: Array("node_cpu_seconds_total".utf8), as: UTF8.self)
        let instance = String(decoding: Array("host-0001.example.org:9100".utf8), as: UTF8.self)
        return ["__name__": name, "instance": instance, "cpu": "\(cpu)"]
    }

    /// The storage of every series' `__name__` and `instance` values.
    static func sharedStorage(_ db: TSDB) throws -> (names: Set<UnsafeRawPointer?>, instances: Set<UnsafeRawPointer?>, series: Int) {
        let all = try db.querier().select([try LabelMatcher(.equal, "__name__", "node_cpu_seconds_total")], mint: .min, maxt: .max)
        return (
            Set(all.map { storage($0.labels["__name__"]!) }), Set(all.map { storage($0.labels["instance"]!) }), all.count
        )
    }

    @Test func seriesShareLongLabelStringsAcrossIngestReplayAndSnapshots() throws {
        let first = Self.labels(cpu: 0)
        let second = Self.labels(cpu: 1)
        #expect(Self.storage(first["__name__"]!) != nil)
        #expect(Self.storage(first["__name__"]!) != Self.storage(second["__name__"]!), "the inputs are separate copies")

        let directory = TemporaryDirectory("label-sharing")
        defer { directory.cleanup() }
        var options = TSDBOptions()
        options.walSync = .never
        do {
            let db = try TSDB.open(directory: directory.path, options: options)
            var appender = db.appender()
            for cpu in 0..<8 { _ = try appender.append(ref: nil, labels: Self.labels(cpu: cpu), timestamp: 1_000, value: 1) }
            try appender.commit()
            let shared = try Self.sharedStorage(db)
            #expect(shared.series == 8)
            #expect(shared.names.count == 1 && shared.instances.count == 1)
            // No close(): the next start replays the WAL.
        }
        do {
            options.headSnapshots = false
            let replayed = try TSDB.open(directory: directory.path, options: options)
            let shared = try Self.sharedStorage(replayed)
            #expect(shared.series == 8)
            #expect(shared.names.count == 1 && shared.instances.count == 1, "after WAL replay")
            options.headSnapshots = true
            try replayed.close()
        }
        let db = try TSDB.open(directory: directory.path, options: options)
        _ = try db.snapshotHead()
        try db.close()
        let loaded = try TSDB.open(directory: directory.path, options: options)
        #expect(loaded.replayReport.snapshot?.series == 8)
        let shared = try Self.sharedStorage(loaded)
        #expect(shared.series == 8)
        #expect(shared.names.count == 1 && shared.instances.count == 1, "after a snapshot load")
        try loaded.close()
    }
}
