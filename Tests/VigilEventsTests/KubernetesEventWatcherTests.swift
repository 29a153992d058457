import Testing
import VigilEvents
import VigilKubernetes
import VigilModel
import VigilTestSupport

/// Drives the watcher with a real informer against the fake API server.
@Suite struct KubernetesEventWatcherTests {
    /// Runs a watcher over core/v1 events in all namespaces until `body` returns.
    func withWatcher(
        _ server: FakeKubernetesAPIServer, filter: KubernetesEventFilter, sinks: [any KubernetesEventSink],
        subscribedAt: Int64, registry: MetricsRegistry,
        _ body: (KubernetesEventWatcher, SharedInformer<Event>) async throws -> Void
    ) async throws {
        try await server.run { url in
            let client = try KubernetesClient(connection: KubernetesConnection(server: url), logger: quietLogger)
            let factory = SharedInformerFactory(client: client, settings: fastInformerSettings, logger: quietLogger)
            let informer = factory.informer(Event.self, namespace: nil)
            let watcher = KubernetesEventWatcher(
                filter: filter, sinks: sinks,
                queue: SinkQueueSettings(backoff: Backoff(initial: .milliseconds(10), maximum: .milliseconds(20))),
                metrics: registry, logger: quietLogger)
            let task = Task { await watcher.run(informer.updates(), subscribedAt: subscribedAt) }
            do {
                try await body(watcher, informer)
            } catch {
                task.cancel()
                factory.shutdown()
                await client.shutdown()
                throw error
            }
            task.cancel()
            factory.shutdown()
            await client.shutdown()
            await task.value
        }
    }

    @Test func oneNotificationPerEventAndNoGapAcrossSilentCloses() async throws {
        let server = FakeKubernetesAPIServer()
        try server.apply(eventJSON("web.1"))
        let sink = RecordingSink()
        let registry = MetricsRegistry()
        try await withWatcher(server, filter: try KubernetesEventFilter(), sinks: [sink], subscribedAt: 0, registry: registry) {
            watcher, informer in
            let first = await eventually { sink.names == ["web.1"] && server.openWatches == 1 }
            #expect(first)
            for round in 0..<5 {
                // The watch closes without a word; changes made before the next watch must arrive.
                let watchesBefore = informer.statistics.watches
                server.closeWatches()
                try server.apply(eventJSON("web.1", count: round + 2))
                try server.apply(eventJSON("gap\(round)", object: "web-\(round)", reason: "Unhealthy", count: 1))
                try server.apply(eventJSON("gap\(round)", object: "web-\(round)", reason: "Unhealthy", count: 4))
                let reconnected = await eventually { informer.statistics.watches > watchesBefore && server.openWatches == 1 }
                #expect(reconnected)
            }
            let all = await eventually {
                Set(sink.names) == ["web.1", "gap0", "gap1", "gap2", "gap3", "gap4"]
                    && watcher.repeats(of: "uid-shop-web.1") == 5
            }
            #expect(all, "sink got \(sink.names)")
            #expect(sink.names.count == 6, "each event notified once: \(sink.names)")
            #expect(informer.statistics.watches >= 6)
            // Counted as occurrences: web.1 seen 6 times, each gap event 4 times (first seen at 1 or 4).
            let backoff = counterValue(
                registry, "vigil_kubernetes_events_total",
                ["namespace": "shop", "kind": "Pod", "reason": "BackOff", "type": "Warning"])
            #expect(backoff == 6)
            let unhealthy = counterValue(
                registry, "vigil_kubernetes_events_total",
                ["namespace": "shop", "kind": "Pod", "reason": "Unhealthy", "type": "Warning"])
            #expect(unhealthy == 20)
        }
    }

    @Test func theReplayOfOldEventsIsSkippedButTheirLaterBumpsAreNew() async throws {
        let server = FakeKubernetesAPIServer()
        try server.apply(eventJSON("old", lastTimestamp: "2026-11-27T16:00:00Z"))
        try server.apply(eventJSON("fresh", lastTimestamp: "2026-11-27T17:30:00Z"))
        let subscribedAt = try #require(RFC3339.parse("2026-11-27T17:00:00Z"))
        let sink = RecordingSink()
        try await withWatcher(
            server, filter: try KubernetesEventFilter(), sinks: [sink], subscribedAt: subscribedAt, registry: MetricsRegistry()
        ) { watcher, informer in
            let synced = await eventually { informer.hasSynced && sink.names == ["fresh"] }
            #expect(synced, "sink got \(sink.names)")
            try server.apply(eventJSON("old", count: 2, lastTimestamp: "2026-11-27T17:40:00Z"))
            try server.apply(eventJSON("old", count: 3, lastTimestamp: "2026-11-27T17:41:00Z"))
            let bumped = await eventually { sink.names == ["fresh", "old"] && watcher.repeats(of: "uid-shop-old") == 1 }
            #expect(bumped, "sink got \(sink.names)")
        }
    }

    @Test func filteredEventsAreCountedButNotSent() async throws {
        let server = FakeKubernetesAPIServer()
        try server.apply(eventJSON("normal", reason: "Scheduled", message: "assigned", type: "Normal"))
        try server.apply(eventJSON("warning", reason: "BackOff"))
        let sink = RecordingSink()
        let registry = MetricsRegistry()
        try await withWatcher(
            server, filter: try KubernetesEventFilter(minimumType: "Warning"), sinks: [sink], subscribedAt: 0,
            registry: registry
        ) { _, _ in
            let sent = await eventually { sink.names == ["warning"] }
            #expect(sent)
            let scheduled = counterValue(
                registry, "vigil_kubernetes_events_total", ["reason": "Scheduled", "type": "Normal"])
            #expect(scheduled == 1)
        }
    }

    @Test func aFailingSinkIsRetriedWithoutHoldingUpTheOthers() async throws {
        let server = FakeKubernetesAPIServer()
        try server.apply(eventJSON("web.1"))
        let flaky = RecordingSink(failures: 3)
        let healthy = RecordingSink()
        let registry = MetricsRegistry()
        try await withWatcher(
            server, filter: try KubernetesEventFilter(), sinks: [flaky, healthy], subscribedAt: 0, registry: registry
        ) { _, _ in
            let delivered = await eventually { flaky.names == ["web.1"] && healthy.names == ["web.1"] }
            #expect(delivered)
            #expect(flaky.calls == 4)
            let failures = counterValue(registry, "vigil_kubernetes_event_sink_failures_total", ["sink": "recording"])
            #expect(failures == 3)
        }
    }

    @Test func eventsK8sIoV1EventsAreReadThroughTheirRenamedFields() async throws {
        let server = FakeKubernetesAPIServer()
        try server.apply(#"""
            {"kind": "Event", "apiVersion": "events.k8s.io/v1",
             "metadata": {"name": "node-a.1", "namespace": "default", "uid": "v1-node-a"},
             "eventTime": "2026-11-27T17:10:00.000000Z", "reportingController": "kubelet", "reportingInstance": "node-a",
             "action": "Rebooted", "reason": "Rebooted", "regarding": {"kind": "Node", "name": "node-a"},
             "note": "Node node-a has been rebooted", "type": "Warning", "series": {"count": 2, "lastObservedTime": "2026-11-27T17:11:00.000000Z"}}
            """#)
        let sink = RecordingSink()
        let registry = MetricsRegistry()
        try await server.run { url in
            let client = try KubernetesClient(connection: KubernetesConnection(server: url), logger: quietLogger)
            let factory = SharedInformerFactory(client: client, settings: fastInformerSettings, logger: quietLogger)
            let informer = factory.informer(EventV1.self, namespace: nil)
            let watcher = KubernetesEventWatcher(
                filter: try KubernetesEventFilter(), sinks: [sink], metrics: registry, logger: quietLogger)
            let task = Task { await watcher.run(informer.updates(), subscribedAt: 0) }
            let received = await eventually { sink.received.count == 1 }
            task.cancel()
            factory.shutdown()
            await client.shutdown()
            await task.value
            #expect(received)
            let got = try #require(sink.received.first?.record)
            #expect(got.kind == "Node" && got.objectName == "node-a" && got.message == "Node node-a has been rebooted")
            #expect(got.count == 2 && got.component == "kubelet" && got.host == "node-a")
            #expect(got.lastSeenMilliseconds == RFC3339.parse("2026-11-27T17:11:00Z"))
            let counted = counterValue(registry, "vigil_kubernetes_events_total", ["kind": "Node", "reason": "Rebooted"])
            #expect(counted == 2)
        }
    }

    @Test func aFullSinkQueueDropsAndCountsTheOverflow() async throws {
        let server = FakeKubernetesAPIServer()
        for index in 0..<5 { try server.apply(eventJSON("e\(index)", object: "web-\(index)")) }
        let sink = RecordingSink()
        let registry = MetricsRegistry()
        try await server.run { url in
            let client = try KubernetesClient(connection: KubernetesConnection(server: url), logger: quietLogger)
            let factory = SharedInformerFactory(client: client, settings: fastInformerSettings, logger: quietLogger)
            let informer = factory.informer(Event.self, namespace: nil)
            // The informer hands the first list over as one update of five; the queue holds two.
            let watcher = KubernetesEventWatcher(
                filter: try KubernetesEventFilter(), sinks: [sink], queue: SinkQueueSettings(capacity: 2),
                metrics: registry, logger: quietLogger)
            let task = Task { await watcher.run(informer.updates(), subscribedAt: 0) }
            let settled = await eventually {
                sink.received.count == 2
                    && counterValue(registry, "vigil_kubernetes_event_notifications_dropped_total", ["sink": "recording"]) == 3
            }
            task.cancel()
            factory.shutdown()
            await client.shutdown()
            await task.value
            #expect(settled, "sink got \(sink.names)")
            #expect(watcher.remembered == 5)
        }
    }

    @Test func aRobotFailingMidBatchGetsOnlyTheUndeliveredEventAgain() async throws {
        let server = FakeKubernetesAPIServer()
        for index in 0..<3 { try server.apply(eventJSON("e\(index)", object: "web-\(index)")) }
        try await RecordingServer.with(defaultBody: #"{"errcode":0}"#) { robot in
            robot.answer(200, #"{"errcode":0}"#)
            robot.answer(503, "busy")
            try await withWatcher(
                server, filter: try KubernetesEventFilter(),
                sinks: [WeComEventSink(url: robot.base + "/send?key=K")], subscribedAt: 0, registry: MetricsRegistry()
            ) { _, _ in
                let sent = await eventually { robot.requests.count == 4 }
                #expect(sent)
                let objects = robot.requests.map { request in
                    ["web-0", "web-1", "web-2"].first { request.body.contains("shop/\($0)") } ?? "?"
                }
                // The informer's list order is by name; the 503 answered web-1's first try.
                #expect(objects == ["web-0", "web-1", "web-1", "web-2"])
            }
        }
    }
}
