import Foundation
public import Logging
import VigilModel

/// How a ``LeaderElector`` holds its Lease; client-go leaderelection's settings.
public struct LeaderElectionSettings: Sendable, Hashable {
    /// The Lease's name.
    public var leaseName: String
    /// The Lease's namespace.
    public var leaseNamespace: String
    /// This replica's identity (its pod name); must differ between replicas.
    public var identity: String
    /// How long others wait after the last observed renewal before taking the lease.
    public var leaseDuration: Duration
    /// How long the leader keeps trying to renew before it gives leadership up.
    public var renewDeadline: Duration
    /// How often every replica tries to acquire or renew.
    public var retryPeriod: Duration

    /// Settings; client-go's defaults are 15 s, 10 s and 2 s.
    public init(
        leaseName: String, leaseNamespace: String, identity: String, leaseDuration: Duration = .seconds(15),
        renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2)
    ) {
        self.leaseName = leaseName
        self.leaseNamespace = leaseNamespace
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
    }
}

/// What one read or write of the Lease showed this replica.
public struct LeaseObservation: Sendable, Hashable {
    /// Whether this replica holds the lease now.
    public var isLeader: Bool
    /// Who holds it (empty: nobody, for example after a release).
    public var holder: String
    /// The Lease's annotations as last read (the leader keeps its delivery watermark there).
    public var annotations: [String: String]
}

/// Elects one replica through a coordination.k8s.io/v1 Lease, with client-go leaderelection's
/// semantics: a replica takes the lease when it is free (no holder) or when the holder has not
/// renewed for `leaseDuration` as measured on the replica's own clock from when it last saw the
/// record change (so clock skew between replicas does not matter); every write is a PUT guarded by
/// the read's `resourceVersion`, so of two racing replicas one gets 409 Conflict and stays a
/// follower; the leader renews every `retryPeriod` and gives up leadership when it could not renew
/// for `renewDeadline`; ``release()`` on graceful shutdown empties the holder so a follower takes
/// over at its next try instead of after `leaseDuration`.
///
/// The leader can also keep annotations on the Lease (``setAnnotation(_:_:)``): each write is fenced
/// by the same resource-version check, so a deposed leader's write fails instead of overwriting.
public actor LeaderElector {
    /// The settings.
    public nonisolated let settings: LeaderElectionSettings
    private let client: KubernetesClient
    private let logger: Logger
    private var lease: Lease?
    private var observedRecord: Lease.Spec?
    private var observedAt = ContinuousClock.now
    private var lastRenewal: ContinuousClock.Instant?
    private var annotations: [String: String] = [:]
    private var writing = false
    private var writeWaiters: [CheckedContinuation<Void, Never>] = []

    /// An elector for `settings` talking through `client`.
    public init(client: KubernetesClient, settings: LeaderElectionSettings, logger: Logger) {
        self.client = client
        self.settings = settings
        self.logger = logger
    }

    /// Whether this replica holds the lease (it renewed within `renewDeadline`).
    public var isLeader: Bool {
        guard let lastRenewal, lease?.spec?.holderIdentity == settings.identity else { return false }
        return ContinuousClock.now - lastRenewal < settings.renewDeadline
    }

    /// Tries to acquire or renew every `retryPeriod` until cancelled, calling `observe` after
    /// every attempt. Cancellation does not release the lease (a crash does not either); call
    /// ``release()`` for a graceful hand-over.
    public func run(observe: @Sendable (LeaseObservation) async -> Void) async {
        while !Task.isCancelled {
            let before = isLeader
            await tryAcquireOrRenew()
            let now = isLeader
            if before != now {
                logger.info(
                    now ? "Became leader" : "Lost leadership",
                    metadata: ["lease": "\(settings.leaseNamespace)/\(settings.leaseName)", "identity": "\(settings.identity)"])
            }
            await observe(
                LeaseObservation(
                    isLeader: now, holder: lease?.spec?.holderIdentity ?? "", annotations: lease?.metadata.annotations ?? [:]))
            try? await Task.sleep(for: settings.retryPeriod)
        }
    }

    /// Sets `key` to `value` on the Lease now and at every renewal; only the leader writes.
    /// Throws when this replica is not the leader or the write failed (a conflict means another
    /// replica changed the lease: leadership is then re-checked at the next try).
    public func setAnnotation(_ key: String, _ value: String) async throws {
        annotations[key] = value
        try await exclusively {
            guard isLeader, var lease else { throw KubernetesError.configuration("not the leader of \(settings.leaseName)") }
            lease.metadata.annotations.merge(annotations) { $1 }
            self.lease = try await write(lease)
        }
    }

    /// Gives the lease up if this replica holds it: the holder is emptied so that a follower takes
    /// over at its next try. Call after the last delivery, on graceful shutdown.
    public func release() async {
        try? await exclusively {
            // As client-go: the record naming this replica is enough, even past the renew
            // deadline (a starved renewal); the write is guarded by the resource version, so a
            // lease someone else took meanwhile is left alone (409).
            guard var current = lease else { return }
            // A renewal cancelled in flight may have reached the server without its answer
            // reaching us: the cached version is then stale. Read again and retry while the
            // record still names this replica.
            for attempt in 0..<3 {
                guard var spec = current.spec, spec.holderIdentity == settings.identity else { return }
                spec.holderIdentity = ""
                spec.leaseDurationSeconds = 1
                let now = Self.microTime()
                spec.acquireTime = now
                spec.renewTime = now
                current.spec = spec
                current.metadata.annotations.merge(annotations) { $1 }
                do {
                    self.lease = try await write(current)
                    lastRenewal = nil
                    logger.info("Released leadership", metadata: ["lease": "\(settings.leaseNamespace)/\(settings.leaseName)"])
                    return
                } catch let error as KubernetesError where error.isConflict && attempt < 2 {
                    guard let fresh = try? await client.get(Lease.self, namespace: settings.leaseNamespace, name: settings.leaseName)
                    else { return }
                    current = fresh
                } catch {
                    logger.warning("Cannot release the lease", metadata: ["err": "\(error)"])
                    return
                }
            }
        }
    }

    /// client-go's `tryAcquireOrRenew`: read, decide, write guarded by the resource version.
    private func tryAcquireOrRenew() async {
        try? await exclusively {
            do {
                let current: Lease
                do {
                    current = try await client.get(Lease.self, namespace: settings.leaseNamespace, name: settings.leaseName)
                } catch let error as KubernetesError where error.isNotFound {
                    let now = Self.microTime()
                    let created = Lease(
                        metadata: ObjectMeta(name: settings.leaseName, namespace: settings.leaseNamespace, annotations: annotations),
                        spec: Lease.Spec(
                            holderIdentity: settings.identity, leaseDurationSeconds: leaseSeconds, acquireTime: now,
                            renewTime: now, leaseTransitions: 0))
                    lease = try await client.create(created)
                    noteRecord(lease?.spec)
                    lastRenewal = .now
                    return
                }
                lease = current
                noteRecord(current.spec)
                let holder = current.spec?.holderIdentity ?? ""
                let heldByMe = holder == settings.identity
                if !holder.isEmpty && !heldByMe && ContinuousClock.now - observedAt < settings.leaseDuration { return }
                var spec = current.spec ?? Lease.Spec()
                let now = Self.microTime()
                if !heldByMe {
                    spec.acquireTime = now
                    spec.leaseTransitions = (spec.leaseTransitions ?? 0) + 1
                }
                spec.holderIdentity = settings.identity
                spec.leaseDurationSeconds = leaseSeconds
                spec.renewTime = now
                var next = current
                next.spec = spec
                next.metadata.annotations.merge(annotations) { $1 }
                // A follower taking over has set no annotations yet: the old leader's stay, and
                // the new one reads them from the observation before it sends anything.
                lease = try await write(next)
                lastRenewal = .now
            } catch {
                logger.debug("Lease attempt failed", metadata: ["err": "\(error)"])
            }
        }
    }

    private func write(_ lease: Lease) async throws -> Lease {
        let written = try await client.update(lease, timeout: settings.renewDeadline)
        noteRecord(written.spec)
        return written
    }

    /// Restarts the expiry clock when the record changed since last seen.
    private func noteRecord(_ spec: Lease.Spec?) {
        if spec != observedRecord {
            observedRecord = spec
            observedAt = .now
        }
    }

    private var leaseSeconds: Int { max(Int(settings.leaseDuration.components.seconds), 1) }

    /// One lease read-modify-write at a time, across the actor's suspension points.
    private func exclusively(_ body: () async throws -> Void) async throws {
        while writing { await withCheckedContinuation { writeWaiters.append($0) } }
        writing = true
        defer {
            writing = false
            if !writeWaiters.isEmpty { writeWaiters.removeFirst().resume() }
        }
        try await body()
    }

    /// Now as a Kubernetes MicroTime (`2026-11-27T17:00:00.123456Z`).
    static func microTime() -> String {
        let micros = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
        let seconds = RFC3339.format(milliseconds: micros / 1000 / 1000 * 1000)
        let fraction = String(micros % 1_000_000)
        return String(seconds.dropLast(4)) + String(repeating: "0", count: 6 - fraction.count) + fraction + "Z"
    }
}
