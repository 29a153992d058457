import Synchronization

/// Whether the server has finished starting: `/-/ready` answers 503 until it has, as Prometheus does
/// while it replays its WAL.
final class Readiness: Sendable {
    private let ready = Atomic<Bool>(false)

    var isReady: Bool { ready.load(ordering: .acquiring) }

    func markReady() { ready.store(true, ordering: .releasing) }
}
