// Crash-test child: appends numbered batches durably and prints each batch number after it is
// acknowledged; the parent test SIGKILLs it at random moments and checks what survived.
//
// Usage:
//   VigilCrashTester wal  <directory> [segment-size]   batches straight into a WAL
//   VigilCrashTester tsdb <directory>                  batches through TSDB.appender().commit()
//   VigilCrashTester logstore <directory>              log pushes through LogStore.push
//
// Batch b is one series {__name__="crash", batch="b"} with count(b) = 1 + (b * 37) % 400 samples
// at timestamps 1000*b + i and values i. Each run first recovers (replays) to find the highest
// batch already stored and continues after it, so every run also exercises recovery.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import VigilLogQL
import VigilLogStore
import VigilModel
import VigilTSDB

func fail(_ message: String) -> Never {
    var bytes = Array((message + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

/// Writes `batch` to stdout unbuffered, one write per acknowledgement, so the parent never sees a
/// number before its batch is durable.
func acknowledge(_ batch: UInt64) {
    var line = Array("\(batch)\n".utf8)
    _ = line.withUnsafeMutableBytes { write(1, $0.baseAddress, $0.count) }
}

func sampleCount(_ batch: UInt64) -> Int { 1 + Int((batch &* 37) % 400) }

func runWAL(directory: String, segmentSize: Int) throws(TSDBError) -> Never {
    let wal = try WAL(directory: directory, segmentSize: segmentSize, syncPolicy: .always)
    var last: UInt64 = 0
    try wal.replay { record in
        if case .series(let series) = record, let ref = series.last?.ref { last = max(last, ref) }
    }
    var batch = last + 1
    while true {
        let samples = (0..<sampleCount(batch)).map { RefSample(ref: batch, timestamp: Int64(batch), value: Double($0)) }
        try wal.log([
            .series([.init(ref: batch, labels: ["__name__": "crash", "batch": "\(batch)"])]),
            .samples(samples),
        ])
        acknowledge(batch)
        batch += 1
    }
}

func runTSDB(directory: String) throws(TSDBError) -> Never {
    var options = TSDBOptions()
    options.walSegmentSize = 256 << 10
    let db = try TSDB.open(directory: directory, options: options)
    // Head snapshots run beside the commits, as maintenance runs them beside ingestion, so kills
    // land inside snapshots and in the segment cuts that start them.
    let snapshotter = Thread {
        while true {
            _ = try? db.snapshotHead()
            usleep(3_000)
        }
    }
    snapshotter.start()
    let values = try db.querier().labelValues("batch", matchers: [], mint: .min, maxt: .max)
    var batch = (values.compactMap { UInt64($0) }.max() ?? 0) + 1
    while true {
        var appender = db.appender()
        let labels: Labels = ["__name__": "crash", "batch": "\(batch)"]
        var ref: SeriesRef?
        for index in 0..<sampleCount(batch) {
            ref = try appender.append(ref: ref, labels: labels, timestamp: Int64(batch) * 1000 + Int64(index), value: Double(index))
        }
        try appender.commit()
        acknowledge(batch)
        batch += 1
    }
}

/// Batch b is `sampleCount(b)` lines `batch=<b> line=<i> …` in stream {job="crash"} at
/// nanosecond timestamps b·1e6 + i. Small chunks and a small checkpoint threshold make kills land
/// inside chunk cuts and checkpoints too.
func runLogStore(directory: String) throws(LogStoreError) -> Never {
    var options = LogStoreOptions()
    options.rejectOlderThan = 0
    options.creationGracePeriod = 0
    options.ingestionRate = 0
    options.perStreamRate = 0
    options.chunkTargetSize = 32 << 10
    options.walSegmentSize = 64 << 10
    options.checkpointWALSize = 256 << 10
    let store = try LogStore.open(directory: directory, options: options)
    var last: UInt64 = 0
    let selection = LogSelection(
        matchers: [try! LabelMatcher(.equal, "job", "crash")], start: .min, end: .max, direction: .backward)
    do {
        try store.select(selection, tenant: options.defaultTenant) { batch in
            if let newest = batch.entries.first { last = UInt64(newest.timestamp / 1_000_000) }
            return false
        }
    } catch {
        fail("VigilCrashTester: reading back: \(error)")
    }
    var batch = last + 1
    let labels: Labels = ["job": "crash"]
    while true {
        let entries = (0..<sampleCount(batch)).map { index in
            LogEntry(
                timestamp: Int64(batch) * 1_000_000 + Int64(index),
                line: Array("batch=\(batch) line=\(index) msg=\"the quick brown fox jumps over the lazy dog\"".utf8))
        }
        let result = try store.push(PushRequest(streams: [PushStream(labels: labels, entries: entries)]))
        guard result.errors.isEmpty else { fail("push refused: \(result.message)") }
        acknowledge(batch)
        batch += 1
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    fail("usage: VigilCrashTester wal|tsdb|logstore <directory> [segment-size]")
}
do {
    switch arguments[1] {
    case "wal": try runWAL(directory: arguments[2], segmentSize: arguments.count >= 4 ? Int(arguments[3]) ?? 256 << 10 : 256 << 10)
    case "tsdb": try runTSDB(directory: arguments[2])
    case "logstore": try runLogStore(directory: arguments[2])
    default: fail("unknown mode \(arguments[1]); expected wal, tsdb or logstore")
    }
} catch {
    fail("VigilCrashTester: \(error)")
}
