import Foundation
import Testing
import VigilKubernetes
import VigilModel
import VigilTestSupport

/// Drives informers through reconnects and gaps against the fake API server and checks that
/// every consumer ends with the server's objects, having seen each change once.
@Suite struct SharedInformerTests {
    static func names(_ store: [ObjectKey: Pod]?) -> [String] { (store ?? [:]).keys.sorted().map(\.name) }

    /// The server's pods in `shop` with their versions, as the informer should hold them.
    static func serverState(_ client: KubernetesClient) async throws -> [String: String] {
        let pods = try await client.list(Pod.self, namespace: "shop", options: ListOptions(limit: 0)).items
        return Dictionary(uniqueKeysWithValues: pods.map { ($0.metadata.name, $0.metadata.resourceVersion) })
    }

    static func held(_ informer: SharedInformer<Pod>) -> [String: String] {
        Dictionary(uniqueKeysWithValues: informer.store.values.map { ($0.metadata.name, $0.metadata.resourceVersion) })
    }

    func withInformer(
        _ server: FakeKubernetesAPIServer, settings: InformerSettings = testSettings(),
        _ body: (KubernetesClient, SharedInformer<Pod>, EventLog<Pod>) async throws -> Void
    ) async throws {
        try await server.run { url in
            let client = try KubernetesClient(connection: KubernetesConnection(server: url), logger: quietLogger)
            let factory = SharedInformerFactory(client: client, settings: settings, logger: quietLogger)
            let informer = factory.informer(Pod.self, namespace: "shop")
            do {
                try await consuming(informer) { log in try await body(client, informer, log) }
            } catch {
                factory.shutdown()
                await client.shutdown()
                throw error
            }
            factory.shutdown()
            await client.shutdown()
        }
    }

    /// Waits until the informer's store matches the server's, then checks the log against it.
    func expectConverged(_ client: KubernetesClient, _ informer: SharedInformer<Pod>, _ log: EventLog<Pod>) async throws {
        let truth = try await Self.serverState(client)
        let converged = await eventually {
            Self.held(informer) == truth
                && Dictionary(uniqueKeysWithValues: log.replayed.values.map { ($0.metadata.name, $0.metadata.resourceVersion) }) == truth
        }
        #expect(converged, "informer holds \(Self.held(informer)), consumer replayed \(log.summary), server has \(truth)")
        #expect(!log.hasDoublesOrOrphans, "\(log.summary)")
    }

    @Test func theFirstListIsPagedAndLiveChangesFollow() async throws {
        let server = FakeKubernetesAPIServer()
        for index in 0..<5 { try server.apply(KubernetesFixtures.pod("p\(index)", ip: "10.1.0.\(index)")) }
        try await withInformer(server) { client, informer, log in
            let synced = await eventually { log.all.count == 5 }
            #expect(synced)
            #expect(server.requests.filter { $0.contains("continue=") }.count == 2)
            try server.apply(KubernetesFixtures.pod("p5", ip: "10.1.0.5"))
            try server.apply(KubernetesFixtures.pod("p0", ip: "10.1.1.0"))
            try server.delete(apiVersion: "v1", kind: "Pod", namespace: "shop", name: "p1")
            try await expectConverged(client, informer, log)
            let lastThree: [String] = log.summary.suffix(3).map { String($0.split(separator: "@")[0]) }
            #expect(lastThree == ["added shop/p5", "updated shop/p0", "deleted shop/p1"])
            #expect(informer.statistics.lists == 1)
        }
    }

    @Test func anInformerWithoutObjectsPassesChangesOnAndHoldsNothing() async throws {
        let server = FakeKubernetesAPIServer()
        for index in 0..<3 { try server.apply(KubernetesFixtures.pod("p\(index)", ip: "10.1.0.\(index)")) }
        try await server.run { url in
            let client = try KubernetesClient(connection: KubernetesConnection(server: url), logger: quietLogger)
            let factory = SharedInformerFactory(client: client, settings: testSettings(), logger: quietLogger)
            let lean = factory.informer(Pod.self, namespace: "shop", keepsObjects: false)
            #expect(lean !== factory.informer(Pod.self, namespace: "shop"))
            #expect(lean === factory.informer(Pod.self, namespace: "shop", keepsObjects: false))
            try await consuming(lean, withStore: false) { log in
                let listed = await eventually { log.all.count == 3 && server.openWatches == 1 }
                #expect(listed)
                try server.apply(KubernetesFixtures.pod("p0", ip: "10.1.1.0"))
                try server.delete(apiVersion: "v1", kind: "Pod", namespace: "shop", name: "p1")
                let followed = await eventually { log.all.count == 5 }
                #expect(followed)
                #expect(log.summary.suffix(2).map { String($0.split(separator: "@")[0]) } == ["updated shop/p0", "deleted shop/p1"])
                #expect(Self.names(log.replayed) == ["p0", "p2"])
                // Nothing is held: not in the informer, not in the updates.
                #expect(lean.store.isEmpty)
                #expect(log.store?.isEmpty == true)
                // A relist reports every object again; the consumer deduplicates.
                server.compact()
                server.expireWatches()
                let relisted = await eventually { lean.statistics.lists == 2 && log.all.count == 7 }
                #expect(relisted)
            }
            factory.shutdown()
            await client.shutdown()
        }
    }

    @Test func aSilentCloseLosesNothingMadeInTheGap() async throws {
        let server = FakeKubernetesAPIServer()
        for index in 0..<3 { try server.apply(KubernetesFixtures.pod("p\(index)", ip: "10.1.0.\(index)")) }
        try await withInformer(server) { client, informer, log in
            let watching = await eventually { server.openWatches == 1 && log.all.count == 3 }
            #expect(watching)
            for round in 0..<5 {
                server.closeWatches()
                try server.apply(KubernetesFixtures.pod("gap\(round)", ip: "10.2.0.\(round)"))
                try server.apply(KubernetesFixtures.pod("p0", ip: "10.3.0.\(round)"))
                if round == 2 { try server.delete(apiVersion: "v1", kind: "Pod", namespace: "shop", name: "p2") }
            }
            try await expectConverged(client, informer, log)
            // At most one event per change (3 first adds, 5 adds, 5 updates, 1 delete); at least
            // one per object touched, since a relist may fold several updates of p0 into one.
            let count = log.all.count
            let expectedMost = 14
            #expect(count >= 10 && count <= expectedMost)
        }
    }

    @Test func an410AfterCompactionRelistsAndReconciles() async throws {
        let server = FakeKubernetesAPIServer()
        for index in 0..<4 { try server.apply(KubernetesFixtures.pod("p\(index)", ip: "10.1.0.\(index)")) }
        for (round, answer) in [FakeKubernetesAPIServer.ExpiredAnswer.httpGone, .errorEvent].enumerated() {
            server.expiredAnswer = answer
            try await withInformer(server) { client, informer, log in
                let watching = await eventually { server.openWatches == 1 && informer.hasSynced }
                #expect(watching)
                // Close the watch, change things and forget the history: the resumed watch is
                // refused and only a relist can catch up.
                server.closeWatches()
                try server.apply(KubernetesFixtures.pod("new\(round)", ip: "10.2.0.1"))
                try server.apply(KubernetesFixtures.pod("p0", ip: "10.2.0.\(round + 2)"))
                try server.delete(apiVersion: "v1", kind: "Pod", namespace: "shop", name: "p\(3 - round)")
                server.compact()
                try await expectConverged(client, informer, log)
                let relisted = await eventually { informer.statistics.lists >= 2 }
                #expect(relisted)
            }
            // The next round starts from the server as this one left it.
        }
    }

    @Test func anInStream410RelistsWithoutDoubling() async throws {
        let server = FakeKubernetesAPIServer()
        for index in 0..<3 { try server.apply(KubernetesFixtures.pod("p\(index)", ip: "10.1.0.\(index)")) }
        try await withInformer(server) { client, informer, log in
            let watching = await eventually { server.openWatches == 1 && log.all.count == 3 }
            #expect(watching)
            server.expireWatches()
            let expired = await eventually { informer.statistics.expired == 1 && informer.statistics.lists == 2 }
            #expect(expired)
            // Nothing changed: the relist must not announce anything again.
            #expect(log.all.count == 3)
            try server.apply(KubernetesFixtures.pod("p9", ip: "10.1.0.9"))
            try await expectConverged(client, informer, log)
        }
    }

    @Test func aStalledWatchIsReplacedByAFreshList() async throws {
        let server = FakeKubernetesAPIServer()
        try server.apply(KubernetesFixtures.pod("p0", ip: "10.1.0.0"))
        server.stallNewWatches = true
        let settings = testSettings(watchTimeout: 1...1, stallGrace: .milliseconds(200))
        try await withInformer(server, settings: settings) { client, informer, log in
            let stalled = await eventually { informer.statistics.stalls >= 1 }
            #expect(stalled)
            try server.apply(KubernetesFixtures.pod("p1", ip: "10.1.0.1"))
            server.stallNewWatches = false
            try await expectConverged(client, informer, log)
        }
    }

    @Test func bookmarksMoveTheResumeVersion() async throws {
        let server = FakeKubernetesAPIServer()
        try server.apply(KubernetesFixtures.pod("p0", ip: "10.1.0.0"))
        try server.apply(KubernetesFixtures.pod("other", ip: "10.9.0.0", namespace: "other"))
        try await withInformer(server) { client, informer, log in
            let watching = await eventually { server.openWatches == 1 && informer.hasSynced }
            #expect(watching)
            // Changes elsewhere move the version; a bookmark tells this watch about it.
            try server.apply(KubernetesFixtures.pod("other", ip: "10.9.0.1", namespace: "other"))
            server.sendBookmarks()
            let version = server.resourceVersion
            let bookmarked = await eventually {
                server.closeWatches()
                return server.requests.contains { $0.contains("watch=true") && $0.contains("resourceVersion=\(version)") }
            }
            #expect(bookmarked)
            try await expectConverged(client, informer, log)
        }
    }

    @Test func consumersShareOneWatchAndLateOnesGetTheStore() async throws {
        let server = FakeKubernetesAPIServer()
        for index in 0..<3 { try server.apply(KubernetesFixtures.pod("p\(index)", ip: "10.1.0.\(index)")) }
        try await server.run { url in
            let client = try KubernetesClient(connection: KubernetesConnection(server: url), logger: quietLogger)
            let factory = SharedInformerFactory(client: client, settings: testSettings(), logger: quietLogger)
            let first = factory.informer(Pod.self, namespace: "shop")
            let second = factory.informer(Pod.self, namespace: "shop")
            #expect(first === second)
            #expect(factory.informer(Pod.self, namespace: "shop", options: ListOptions(labelSelector: "a=b")) !== first)
            #expect(factory.count == 2)
            try await consuming(first) { early in
                let synced = await eventually { early.all.count == 3 && server.openWatches == 1 }
                #expect(synced)
                try await consuming(second) { late in
                    let replayed = await eventually { late.all.count == 3 }
                    #expect(replayed)
                    try server.apply(KubernetesFixtures.pod("p3", ip: "10.1.0.3"))
                    let both = await eventually { early.all.count == 4 && late.all.count == 4 }
                    #expect(both)
                    #expect(server.openWatches == 1)
                    #expect(server.requests.filter { $0.contains("watch=true") }.count == 1)
                }
            }
            // The last consumer gone, the watch stops: the fake notices the closed connection
            // when it next writes to it.
            var churn = 0
            let stopped = await eventually {
                churn += 1
                _ = try? server.apply(KubernetesFixtures.pod("churn", ip: "10.1.9.\(churn % 200)"))
                return server.openWatches == 0
            }
            #expect(stopped)
            factory.shutdown()
            await client.shutdown()
        }
    }

    @Test func selectorsAreSentAndHonoured() async throws {
        let server = FakeKubernetesAPIServer()
        try server.apply(KubernetesFixtures.pod("a", ip: "10.1.0.1", labels: ["tier": "web"]))
        try server.apply(KubernetesFixtures.pod("b", ip: "10.1.0.2", labels: ["tier": "db"]))
        try await server.run { url in
            let client = try KubernetesClient(connection: KubernetesConnection(server: url), logger: quietLogger)
            let factory = SharedInformerFactory(client: client, settings: testSettings(), logger: quietLogger)
            let informer = factory.informer(
                Pod.self, namespace: "shop", options: ListOptions(labelSelector: "tier=web", fieldSelector: "status.podIP!=10.9.9.9"))
            try await consuming(informer) { log in
                let synced = await eventually { informer.hasSynced && server.openWatches == 1 }
                #expect(synced)
                #expect(Self.names(informer.store) == ["a"])
                #expect(server.requests.first?.contains("labelSelector=tier%3Dweb") == true)
                #expect(server.requests.first?.contains("fieldSelector=status.podIP%21%3D10.9.9.9") == true)
            }
            factory.shutdown()
            await client.shutdown()
        }
    }

    @Test func backoffGrowsWithJitterAndResets() {
        var generator = SplitMix64(seed: 3)
        var backoff = Backoff(initial: .milliseconds(100), maximum: .milliseconds(800))
        let waits = (0..<6).map { _ in backoff.next(using: &generator) }
        let ceilings: [Duration] = [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(800), .milliseconds(800)]
        for (wait, ceiling) in zip(waits, ceilings) {
            #expect(wait >= ceiling / 2 && wait <= ceiling)
        }
        #expect(Set(waits.suffix(3)).count > 1, "jitter makes equal ceilings give different waits")
        backoff.reset()
        #expect(backoff.next(using: &generator) <= .milliseconds(100))
    }
}
