// The event watcher's cost per 100,000 watched events (docs/PERFORMANCE.md): a loopback API
// server streams pre-built core/v1 events (new ones, count bumps and unchanged repeats) to a real
// SharedInformer; the watcher decodes, deduplicates (its cache capped below the number of distinct
// events, so eviction runs), filters, appends to the event store and hands to a sink that discards.
// CPU is the whole process's user+system time from subscription to the last notification, the
// server's writes included, so the figure is an upper bound for the watcher alone.
//
//   cd Benchmarks && swift build -c release --product EventWatcherBenchmarks
//   ./.build/release/EventWatcherBenchmarks [events] [dedup-capacity]
import Foundation
import Hummingbird
import Logging
import Synchronization
import VigilEvents
import VigilKubernetes
import VigilModel
import VigilTestSupport

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let total = arguments.first ?? 100_000
let capacity = arguments.dropFirst().first ?? 20_000

/// One event object as a watch line, shaped as the API server writes it (managedFields included).
func line(type: String, index: Int, count: Int, version: Int, reason fixed: String? = nil) -> [UInt8] {
    let reasons = ["BackOff", "Unhealthy", "Pulled", "FailedScheduling", "Killing", "Created"]
    let reason = fixed ?? reasons[index % reasons.count]
    let kind = reason == "BackOff" || reason == "Unhealthy" ? "Warning" : "Normal"
    let second = 10 + index % 50
    let json = #"""
        {"type":"\#(type)","object":{"kind":"Event","apiVersion":"v1","metadata":{"name":"web-\#(index).17f3a2b4c5d6e7f8","namespace":"shop-\#(index % 40)","uid":"0c1d2e3f-\#(index)-4a5b-8c9d-0e1f2a3b4c5d","resourceVersion":"\#(version)","creationTimestamp":"2026-11-27T17:00:\#(second)Z","managedFields":[{"manager":"kubelet","operation":"Update","apiVersion":"v1","time":"2026-11-27T17:00:\#(second)Z","fieldsType":"FieldsV1","fieldsV1":{"f:count":{},"f:firstTimestamp":{},"f:involvedObject":{},"f:lastTimestamp":{},"f:message":{},"f:reason":{},"f:source":{"f:component":{},"f:host":{}},"f:type":{}}}]},"involvedObject":{"kind":"Pod","namespace":"shop-\#(index % 40)","name":"web-\#(index)","uid":"9a8b7c6d-\#(index)","apiVersion":"v1","resourceVersion":"123456","fieldPath":"spec.containers{app}"},"reason":"\#(reason)","message":"Back-off restarting failed container app in pod web-\#(index)_shop-\#(index % 40)(9a8b7c6d-\#(index))","source":{"component":"kubelet","host":"node-\#(index % 20)"},"firstTimestamp":"2026-11-27T17:00:\#(second)Z","lastTimestamp":"2026-11-27T18:\#(10 + count % 50):\#(second)Z","count":\#(count),"type":"\#(kind)","eventTime":null,"reportingComponent":"kubelet","reportingInstance":"node-\#(index % 20)"}}
        """#
    return Array(json.utf8) + [UInt8(ascii: "\n")]
}

// The stream: 40% new events, 40% count bumps of earlier ones, 20% repeats with an unchanged count.
var stream: [UInt8] = []
var counts: [Int] = []
var version = 1000
var rng = SplitMix64(seed: 42)
let filter = try KubernetesEventFilter(excludeReasons: ["Pulled"], excludeMessage: "probe timed out")
for step in 0..<total {
    version += 1
    let choice = step < 10 ? 0 : Int(rng.next() % 10)
    if choice < 4 || counts.isEmpty {
        let index = counts.count
        counts.append(1)
        stream += line(type: "ADDED", index: index, count: 1, version: version)
    } else {
        // Recent events are the ones that repeat: pick among the newest few thousand.
        let index = max(counts.count - 1 - Int(rng.next() % 5000), 0)
        if choice < 8 { counts[index] += 1 }
        stream += line(type: "MODIFIED", index: index, count: counts[index], version: version)
    }
}
// The last event marks the end: the sink gets it after everything before it.
stream += line(type: "ADDED", index: counts.count, count: 1, version: version + 1, reason: "BenchmarkEnd")
let distinct = counts.count
let streamBytes = stream.count

final class DiscardingSink: KubernetesEventSink {
    let name = "discard"
    let received = Atomic<Int>(0)
    let ended = Atomic<Bool>(false)
    func send(_ notifications: [KubernetesEventNotification]) async throws {
        received.add(notifications.count, ordering: .relaxed)
        if notifications.contains(where: { $0.record.reason == "BenchmarkEnd" }) { ended.store(true, ordering: .relaxed) }
    }
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func residentMegabytes() -> Double {
    let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
    let pages = statm.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

var logger = Logger(label: "event-bench")
logger.logLevel = .critical
let served = Atomic<Bool>(false)
let router = Router()
let payload = stream
router.get("/api/v1/events") { request, _ in
    if request.uri.queryParameters["watch"] == nil {
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"kind":"EventList","apiVersion":"v1","metadata":{"resourceVersion":"1000"},"items":[]}"#)))
    }
    if served.exchange(true, ordering: .relaxed) {
        // Later watches stay open and quiet.
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
            try await writer.write(ByteBuffer())
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
            try await writer.finish(nil)
        })
    }
    return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
        var offset = 0
        while offset < payload.count {
            let end = min(offset + 65_536, payload.count)
            try await writer.write(ByteBuffer(bytes: payload[offset..<end]))
            offset = end
        }
        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
        try await writer.finish(nil)
    })
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("event-bench-\(getpid())")
defer { try? FileManager.default.removeItem(at: directory) }
let rssBefore = residentMegabytes()
try await LoopbackHTTPServer.run(router) { port in
    let client = try KubernetesClient(connection: KubernetesConnection(server: "http://127.0.0.1:\(port)"), logger: logger)
    let factory = SharedInformerFactory(client: client, settings: InformerSettings(watchTimeoutSeconds: 3600...3600), logger: logger)
    let store = try KubernetesEventStore(directory: directory, retention: .seconds(86_400 * 30))
    let sink = DiscardingSink()
    let watcher = KubernetesEventWatcher(
        filter: filter, deduplicator: EventDeduplicator(capacity: capacity),
        routes: [KubernetesEventRoute(sink: sink), KubernetesEventRoute(sink: KubernetesEventStoreSink(store: store))],
        queue: SinkQueueSettings(capacity: 200_000), metrics: MetricsRegistry(), logger: logger)
    let informer = factory.informer(Event.self, namespace: nil, keepsObjects: false)
    let start = cpuSeconds()
    let clock = ContinuousClock.now
    let task = Task { await watcher.run(informer.updates(withStore: false), subscribedAt: 0) }
    while !sink.ended.load(ordering: .relaxed) {
        try await Task.sleep(for: .milliseconds(5))
    }
    // The store's own queue finishes too (checked every 50 ms so the checks cost little).
    while try await store.search(KubernetesEventQuery(reason: "BenchmarkEnd", limit: 1)).isEmpty {
        try await Task.sleep(for: .milliseconds(50))
    }
    let cpu = cpuSeconds() - start
    let wall = ContinuousClock.now - clock
    let perHundredThousand = cpu * 100_000 / Double(total)
    print("events watched:            \(total) (\(distinct) distinct, \(streamBytes / 1_048_576) MiB of watch stream)")
    print("notifications:             \(sink.received.load(ordering: .relaxed)) (bumps and repeats aggregated, Pulled filtered)")
    print("dedup cache:               \(watcher.remembered) entries (capacity \(capacity))")
    print(String(format: "CPU:                       %.3f s (wall %@)", cpu, "\(wall)"))
    print(String(format: "CPU per 100,000 events:    %.3f s", perHundredThousand))
    print(String(format: "at 100,000 events/hour:    %.3f%% of one core", perHundredThousand / 3600 * 100))
    print(String(format: "RSS:                       %.1f MiB (%.1f MiB before the watch)", residentMegabytes(), rssBefore))
    task.cancel()
    factory.shutdown()
    await task.value
    await client.shutdown()
}
