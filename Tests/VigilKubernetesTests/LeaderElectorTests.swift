import Foundation
import Logging
import Testing
import VigilKubernetes
import VigilTestSupport

/// Lease-based election against the fake API server's resourceVersion checks.
@Suite struct LeaderElectorTests {
    let logger: Logger = {
        var logger = Logger(label: "elector-test")
        logger.logLevel = .critical
        return logger
    }()

    /// Runs electors for `identities` until `body` returns; `body` gets them and their run tasks.
    func withElectors(
        _ server: FakeKubernetesAPIServer, _ identities: [String], leaseDuration: Duration,
        _ body: ([LeaderElector], [Task<Void, Never>]) async throws -> Void
    ) async throws {
        try await server.run { url in
            let client = try KubernetesClient(connection: KubernetesConnection(server: url), logger: logger)
            let electors = identities.map {
                LeaderElector(
                    client: client,
                    settings: LeaderElectionSettings(
                        leaseName: "vigil-events", leaseNamespace: "monitoring", identity: $0, leaseDuration: leaseDuration,
                        renewDeadline: leaseDuration / 2, retryPeriod: .milliseconds(30)),
                    logger: logger)
            }
            let tasks = electors.map { elector in Task { await elector.run { _ in } } }
            defer { for task in tasks { task.cancel() } }
            try await body(electors, tasks)
            for task in tasks { task.cancel() }
            for task in tasks { await task.value }
            await client.shutdown()
        }
    }

    func leaders(_ electors: [LeaderElector]) async -> [String] {
        var leaders: [String] = []
        for elector in electors where await elector.isLeader { leaders.append(elector.settings.identity) }
        return leaders
    }

    func spec(_ server: FakeKubernetesAPIServer) throws -> [String: Any] {
        let lease = try server.object(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "monitoring", name: "vigil-events")
        return lease?["spec"] as? [String: Any] ?? [:]
    }

    @Test func oneReplicaLeadsAndAReleaseHandsOverWithoutWaitingForExpiry() async throws {
        let server = FakeKubernetesAPIServer()
        // An hour's lease: only the release can explain a take-over within the test.
        try await withElectors(server, ["vigil-0", "vigil-1"], leaseDuration: .seconds(3600)) { electors, tasks in
            let elected = await eventually { await leaders(electors).count == 1 }
            #expect(elected)
            let leader = await leaders(electors)[0]
            // Renewals keep it: several tries later, still one and the same leader.
            let renewed = await eventually { ((try? spec(server))?["renewTime"] as? String) != nil && server.requests.count > 20 }
            #expect(renewed)
            let stillLeading = await leaders(electors)
            #expect(stillLeading == [leader])
            let before = try spec(server)
            #expect(before["holderIdentity"] as? String == leader)
            #expect(before["leaseDurationSeconds"] as? Int == 3600)
            #expect(before["leaseTransitions"] as? Int == 0)
            let acquire = before["acquireTime"] as? String ?? ""
            #expect(acquire.count == "2026-11-27T20:00:00.000000Z".count && acquire.hasSuffix("Z"), "MicroTime: \(acquire)")

            let index = electors.firstIndex { $0.settings.identity == leader }!
            tasks[index].cancel()
            await tasks[index].value
            await electors[index].release()
            let other = electors[1 - index].settings.identity
            let handedOver = await eventually { await leaders(electors) == [other] }
            #expect(handedOver)
            let after = try spec(server)
            #expect(after["holderIdentity"] as? String == other)
            #expect(after["leaseTransitions"] as? Int == 1)
            #expect(after["acquireTime"] as? String != acquire)
        }
    }

    /// A renewal cancelled in flight can land on the server unanswered, leaving the leader's
    /// cached resource version stale; the release must still hand over at once.
    @Test func aReleaseWithAStaleCachedVersionStillHandsOver() async throws {
        let server = FakeKubernetesAPIServer()
        try await withElectors(server, ["vigil-0", "vigil-1"], leaseDuration: .seconds(3600)) { electors, tasks in
            let elected = await eventually { await leaders(electors).count == 1 }
            #expect(elected)
            let leader = await leaders(electors)[0]
            let index = electors.firstIndex { $0.settings.identity == leader }!
            tasks[index].cancel()
            await tasks[index].value
            var stored = try #require(
                try server.object(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "monitoring", name: "vigil-events"))
            var storedSpec = stored["spec"] as? [String: Any] ?? [:]
            storedSpec["renewTime"] = "2026-11-28T03:00:00.000000Z"
            stored["spec"] = storedSpec
            _ = try server.apply(String(decoding: try JSONSerialization.data(withJSONObject: stored), as: UTF8.self))
            await electors[index].release()
            let other = electors[1 - index].settings.identity
            let handedOver = await eventually { await leaders(electors) == [other] }
            #expect(handedOver)
            #expect(try spec(server)["holderIdentity"] as? String == other)
        }
    }

    @Test func aCrashedLeaderIsReplacedOnceItsLeaseExpires() async throws {
        let server = FakeKubernetesAPIServer()
        try await withElectors(server, ["a", "b", "c"], leaseDuration: .seconds(1)) { electors, tasks in
            let elected = await eventually { await leaders(electors).count == 1 }
            #expect(elected)
            let first = await leaders(electors)[0]
            let index = electors.firstIndex { $0.settings.identity == first }!
            // No release: the others must wait out the lease, then exactly one takes it.
            tasks[index].cancel()
            await tasks[index].value
            let replaced = await eventually {
                let holder = (try? spec(server))?["holderIdentity"] as? String
                return holder != nil && holder != first
            }
            #expect(replaced)
            let settled = await eventually {
                let current = await leaders(electors).filter { $0 != first }
                return current.count == 1 && (try? spec(server))?["holderIdentity"] as? String == current[0]
            }
            #expect(settled)
            let transitions = try spec(server)["leaseTransitions"] as? Int
            #expect(transitions == 1)
        }
    }

    @Test func aDeposedLeadersAnnotationWriteIsRefused() async throws {
        let server = FakeKubernetesAPIServer()
        try await withElectors(server, ["solo"], leaseDuration: .seconds(3600)) { electors, tasks in
            let elected = await eventually { await electors[0].isLeader }
            #expect(elected)
            try await electors[0].setAnnotation("vigil.dev/mark", "1")
            tasks[0].cancel()
            await tasks[0].value
            // Someone else takes the lease behind its back (a newer resourceVersion).
            try server.apply(
                #"""
                {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                 "metadata": {"name": "vigil-events", "namespace": "monitoring", "annotations": {"vigil.dev/mark": "1"}},
                 "spec": {"holderIdentity": "intruder", "leaseDurationSeconds": 3600, "leaseTransitions": 1}}
                """#)
            let conflictsBefore = server.conflicts
            do {
                try await electors[0].setAnnotation("vigil.dev/mark", "2")
                Issue.record("a deposed leader's write went through")
            } catch let error as KubernetesError {
                #expect(error.isConflict, "\(error)")
            }
            #expect(server.conflicts == conflictsBefore + 1)
            let annotations = try server.object(
                apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "monitoring", name: "vigil-events")?["metadata"]
                as? [String: Any]
            #expect((annotations?["annotations"] as? [String: String])?["vigil.dev/mark"] == "1")
        }
    }

    @Test func writesCarryTypeMetaAndAnswerStatusErrors() async throws {
        let server = FakeKubernetesAPIServer()
        try await server.run { url in
            let client = try KubernetesClient(connection: KubernetesConnection(server: url), logger: logger)
            do {
                _ = try await client.get(Lease.self, namespace: "monitoring", name: "missing")
                Issue.record("a missing lease was found")
            } catch let error as KubernetesError {
                #expect(error.isNotFound && error.status?.reason == "NotFound", "\(error)")
            }
            let lease = Lease(metadata: ObjectMeta(name: "l", namespace: "monitoring"), spec: Lease.Spec(holderIdentity: "x"))
            let created = try await client.create(lease)
            #expect(!created.metadata.resourceVersion.isEmpty)
            #expect(server.requests.last == "POST /apis/coordination.k8s.io/v1/namespaces/monitoring/leases")
            do {
                _ = try await client.create(lease)
                Issue.record("a second create went through")
            } catch let error as KubernetesError {
                #expect(error.isAlreadyExists && !error.isConflict, "\(error)")
            }
            var changed = created
            changed.spec?.holderIdentity = "y"
            let updated = try await client.update(changed)
            #expect(updated.spec?.holderIdentity == "y")
            #expect(updated.metadata.resourceVersion != created.metadata.resourceVersion)
            // The same stale version again: 409 Conflict with the server's Status.
            do {
                _ = try await client.update(changed)
                Issue.record("a stale update went through")
            } catch let error as KubernetesError {
                #expect(error.isConflict && error.status?.reason == "Conflict", "\(error)")
            }
            let read = try await client.get(Lease.self, namespace: "monitoring", name: "l")
            #expect(read == updated)
            await client.shutdown()
        }
    }
}
