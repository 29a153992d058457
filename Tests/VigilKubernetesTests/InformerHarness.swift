import Logging
import Synchronization
import VigilKubernetes
import VigilModel
import VigilTestSupport

let quietLogger: Logger = {
    var logger = Logger(label: "kubernetes-test")
    logger.logLevel = .critical
    return logger
}()

/// Settings that make the loop's reactions quick in tests: short backoff, short watches.
func testSettings(watchTimeout: ClosedRange<Int> = 300...300, stallGrace: Duration = .seconds(30), pageSize: Int = 2) -> InformerSettings {
    InformerSettings(
        pageSize: pageSize, watchTimeoutSeconds: watchTimeout, stallGrace: stallGrace,
        backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(100)))
}

/// Everything one consumer of an informer saw.
final class EventLog<Object: KubernetesObject>: Sendable {
    private let events = Mutex<[InformerEvent<Object>]>([])
    private let lastStore = Mutex<[ObjectKey: Object]?>(nil)

    func record(_ update: InformerUpdate<Object>) {
        events.withLock { $0.append(contentsOf: update.events) }
        lastStore.withLock { $0 = update.store }
    }

    var all: [InformerEvent<Object>] { events.withLock { $0 } }
    var store: [ObjectKey: Object]? { lastStore.withLock { $0 } }

    /// The store a consumer would build by applying the events in order.
    var replayed: [ObjectKey: Object] {
        var store: [ObjectKey: Object] = [:]
        for event in all {
            switch event {
            case .added(let object): store[ObjectKey(object.metadata)] = object
            case .updated(_, let object): store[ObjectKey(object.metadata)] = object
            case .deleted(let object): store[ObjectKey(object.metadata)] = nil
            }
        }
        return store
    }

    /// Names and resource versions of the events, as `added ns/name@rv`.
    var summary: [String] {
        all.map { event in
            switch event {
            case .added(let object): "added \(object.key)@\(object.metadata.resourceVersion)"
            case .updated(_, let object): "updated \(object.key)@\(object.metadata.resourceVersion)"
            case .deleted(let object): "deleted \(object.key)"
            }
        }
    }

    /// Whether some (object, resource version) was delivered twice, or an update or delete
    /// arrived for an object the consumer did not have.
    var hasDoublesOrOrphans: Bool {
        var seen: Set<String> = []
        var present: Set<ObjectKey> = []
        for event in all {
            let key = ObjectKey(event.object.metadata)
            switch event {
            case .added:
                if present.contains(key) { return true }
                present.insert(key)
            case .updated:
                if !present.contains(key) { return true }
            case .deleted:
                if present.remove(key) == nil { return true }
                continue
            }
            if !seen.insert("\(key)@\(event.object.metadata.resourceVersion)").inserted { return true }
        }
        return false
    }
}

/// Runs a consumer of `informer` while `body` runs.
func consuming<Object: KubernetesObject, T>(
    _ informer: SharedInformer<Object>, withStore: Bool = true, _ body: (EventLog<Object>) async throws -> T
) async throws -> T {
    let log = EventLog<Object>()
    let updates = informer.updates(withStore: withStore)
    let task = Task {
        for await update in updates { log.record(update) }
    }
    defer { task.cancel() }
    return try await body(log)
}
