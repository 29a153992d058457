import Foundation
import Synchronization
import Testing
import VigilEvents
import VigilKubernetes
import VigilModel
import VigilTestSupport

/// Two replicas of the event watcher against one API server: one sends, and a hand-over neither
/// drops nor repeats a notification.
@Suite struct EventHandOverTests {
    /// One replica: its own client, informer, watcher, elector and sink, as in `vigil server`.
    final class Replica: Sendable {
        let identity: String
        let sink = RecordingSink()
        let client: KubernetesClient
        let factory: SharedInformerFactory
        let elector: LeaderElector
        let watcher: KubernetesEventWatcher
        let task = Mutex<Task<Void, Never>?>(nil)

        init(_ identity: String, url: String, leaseDuration: Duration) throws {
            self.identity = identity
            client = try KubernetesClient(connection: KubernetesConnection(server: url), logger: quietLogger)
            factory = SharedInformerFactory(client: client, settings: fastInformerSettings, logger: quietLogger)
            let elector = LeaderElector(
                client: client,
                settings: LeaderElectionSettings(
                    leaseName: "vigil-events", leaseNamespace: "monitoring", identity: identity, leaseDuration: leaseDuration,
                    renewDeadline: leaseDuration / 2, retryPeriod: .milliseconds(30)),
                logger: quietLogger)
            self.elector = elector
            let handOver = EventHandOver { watermark in
                try await elector.setAnnotation(EventHandOver.annotation, String(watermark))
            }
            watcher = KubernetesEventWatcher(
                filter: try KubernetesEventFilter(), sinks: [sink],
                queue: SinkQueueSettings(batchSize: 3, backoff: Backoff(initial: .milliseconds(10), maximum: .milliseconds(20))),
                handOver: handOver, metrics: MetricsRegistry(), logger: quietLogger)
        }

        func start() {
            let informer = factory.informer(Event.self, namespace: nil)
            let (watcher, elector) = (watcher, elector)
            let handOver = watcher.handOver!
            task.withLock {
                $0 = Task {
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { await watcher.run(informer.updates(), subscribedAt: 0) }
                        group.addTask {
                            await elector.run { lease in
                                handOver.observe(isLeader: lease.isLeader, watermark: EventHandOver.watermark(in: lease.annotations))
                            }
                        }
                    }
                }
            }
        }

        /// Stops watching and electing; the queued notifications drain. `release` is the
        /// graceful path; without it the replica vanishes like a killed pod.
        func stop(release: Bool) async {
            let task = self.task.withLock { $0 }
            task?.cancel()
            await task?.value
            if release { await elector.release() }
            factory.shutdown()
        }

        var isLeading: Bool { watcher.handOver!.isLeading }
    }

    func names(_ replicas: [Replica]) -> [String] { replicas.flatMap(\.sink.names) }

    func duplicates(_ names: [String]) -> [String] {
        Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.map(\.key).sorted()
    }

    /// Writes new events named `prefix-N`, each bumped once (a bump must not notify); answers the
    /// resource version of the last new one (its notification's position).
    @discardableResult
    func produce(_ server: FakeKubernetesAPIServer, _ prefix: String, _ range: Range<Int>) throws -> Int {
        var last = 0
        for index in range {
            last = try server.apply(eventJSON("\(prefix)-\(index)", object: "pod-\(index)"))
            try server.apply(eventJSON("\(prefix)-\(index)", object: "pod-\(index)", count: 2))
        }
        return last
    }

    func watermark(_ server: FakeKubernetesAPIServer) throws -> UInt64 {
        let lease = try server.object(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "monitoring", name: "vigil-events")
        let annotations = (lease?["metadata"] as? [String: Any])?["annotations"] as? [String: String] ?? [:]
        return EventHandOver.watermark(in: annotations)
    }

    @Test func aGracefulHandOverMidStreamSendsEveryEventExactlyOnce() async throws {
        let server = FakeKubernetesAPIServer()
        try await server.run { url in
            // An hour's lease: the follower can only take over through the release.
            let replicas = try ["vigil-0", "vigil-1"].map { try Replica($0, url: url, leaseDuration: .seconds(3600)) }
            for replica in replicas { replica.start() }
            let elected = await eventually { replicas.filter(\.isLeading).count == 1 }
            #expect(elected)
            let leader = replicas.first(where: \.isLeading)!
            let follower = replicas.first { !$0.isLeading }!

            try produce(server, "before", 0..<30)
            let sent = await eventually { leader.sink.names.count == 30 }
            #expect(sent)
            // The follower saw the same events and sent none of them.
            let followerSaw = await eventually { follower.watcher.remembered == 30 }
            #expect(followerSaw)
            #expect(follower.sink.received.isEmpty)

            // Events keep coming while the leader stops: some reach it, the rest only the follower.
            let producer = Task { try produce(server, "during", 0..<60) }
            try await Task.sleep(for: .milliseconds(5))
            await leader.stop(release: true)
            _ = try await producer.value
            try produce(server, "after", 0..<20)

            let expected = Set((0..<30).map { "before-\($0)" } + (0..<60).map { "during-\($0)" } + (0..<20).map { "after-\($0)" })
            let all = await eventually { Set(names(replicas)) == expected }
            #expect(all, "missing: \(expected.subtracting(names(replicas)).sorted())")
            #expect(duplicates(names(replicas)) == [], "sent twice")
            #expect(names(replicas).count == expected.count)
            #expect(follower.isLeading)
            await follower.stop(release: true)
            for replica in replicas { await replica.client.shutdown() }
        }
    }

    @Test func aKilledLeaderIsReplacedAfterItsLeaseAndNothingIsLostOrRepeated() async throws {
        let server = FakeKubernetesAPIServer()
        try await server.run { url in
            // Four seconds: a leader must renew within two, and a loaded test machine can stall a task for one.
            let replicas = try ["vigil-0", "vigil-1"].map { try Replica($0, url: url, leaseDuration: .seconds(4)) }
            for replica in replicas { replica.start() }
            let elected = await eventually { replicas.filter(\.isLeading).count == 1 }
            #expect(elected)
            let leader = replicas.first(where: \.isLeading)!
            let follower = replicas.first { !$0.isLeading }!

            let newest = UInt64(try produce(server, "before", 0..<25))
            // Delivered and recorded on the Lease: the follower's backlog shrinks to nothing.
            let recorded = await eventually {
                leader.sink.names.count == 25 && follower.watcher.handOver!.pendingCount == 0
                    && ((try? watermark(server)) ?? 0) >= newest
            }
            #expect(recorded)
            #expect(follower.sink.received.isEmpty)

            // Killed: no release, no last watermark. Events arrive while nobody leads.
            await leader.stop(release: false)
            try produce(server, "orphaned", 0..<15)
            let takenOver = await eventually { follower.isLeading }
            #expect(takenOver)
            try produce(server, "after", 0..<10)

            let expected = Set((0..<25).map { "before-\($0)" } + (0..<15).map { "orphaned-\($0)" } + (0..<10).map { "after-\($0)" })
            let all = await eventually { Set(names(replicas)) == expected }
            #expect(all, "missing: \(expected.subtracting(names(replicas)).sorted())")
            #expect(duplicates(names(replicas)) == [], "sent twice")
            #expect(Set(follower.sink.names) == expected.subtracting((0..<25).map { "before-\($0)" }))
            await follower.stop(release: true)
            for replica in replicas { await replica.client.shutdown() }
        }
    }

    @Test func aFollowerHoldsOnlyWhatTheLeaderHasNotConfirmed() throws {
        let handOver = EventHandOver { _ in }
        let watcher = KubernetesEventWatcher(
            filter: try KubernetesEventFilter(), sinks: [RecordingSink()], handOver: handOver, metrics: MetricsRegistry(),
            logger: quietLogger)
        let changes = try (1...5).map { (KubernetesEventWatcher.InformerChange.added, try record("e\($0)"), UInt64(100 + $0)) }
        // Not named e1..e5 identities alike: each record's uid comes from its name.
        let notifications = watcher.process(changes, subscribedAt: 0, now: 0)
        #expect(notifications.map(\.position) == [101, 102, 103, 104, 105])
        handOver.observe(isLeader: false, watermark: 0)
        handOver.admit(notifications)
        #expect(handOver.pendingCount == 5)
        handOver.observe(isLeader: false, watermark: 103)
        #expect(handOver.pendingCount == 2)
        // A stale (lower) watermark read later does not bring anything back.
        handOver.observe(isLeader: false, watermark: 101)
        #expect(handOver.pendingCount == 2)
        handOver.observe(isLeader: true, watermark: 104)
        #expect(handOver.pendingCount == 0)
        #expect(handOver.isLeading)
    }
}
