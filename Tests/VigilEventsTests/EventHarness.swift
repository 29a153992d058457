import Foundation
import Logging
import Synchronization
import VigilEvents
import VigilKubernetes
import VigilModel

let quietLogger: Logger = {
    var logger = Logger(label: "events-test")
    logger.logLevel = .critical
    return logger
}()

/// Quick reactions in tests: short backoff, long watches (closes are forced by the tests).
let fastInformerSettings = InformerSettings(
    pageSize: 2, watchTimeoutSeconds: 300...300, backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(100)))

/// A sink remembering what it got; it fails the first `failures` calls.
final class RecordingSink: KubernetesEventSink {
    let name = "recording"
    private let state: Mutex<(received: [KubernetesEventNotification], failuresLeft: Int, calls: Int)>

    init(failures: Int = 0) { state = Mutex(([], failures, 0)) }

    func send(_ notifications: [KubernetesEventNotification]) async throws {
        try state.withLock { state in
            state.calls += 1
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                throw SinkRefused()
            }
            state.received.append(contentsOf: notifications)
        }
    }

    var received: [KubernetesEventNotification] { state.withLock { $0.received } }
    var calls: Int { state.withLock { $0.calls } }
    var names: [String] { received.map(\.record.name) }
}

struct SinkRefused: Error {}

/// A core/v1 Event as the API server returns it.
func eventJSON(
    _ name: String, namespace: String = "shop", kind: String = "Pod", object: String = "web-0", reason: String = "BackOff",
    message: String = "Back-off restarting failed container", type: String = "Warning", count: Int = 1,
    lastTimestamp: String = "2026-11-27T17:00:00Z"
) -> String {
    #"""
    {"kind": "Event", "apiVersion": "v1",
     "metadata": {"name": "\#(name)", "namespace": "\#(namespace)", "uid": "uid-\#(namespace)-\#(name)"},
     "involvedObject": {"kind": "\#(kind)", "namespace": "\#(namespace)", "name": "\#(object)", "apiVersion": "v1"},
     "reason": "\#(reason)", "message": \#(JSONQuoting.quote(message)), "type": "\#(type)", "count": \#(count),
     "source": {"component": "kubelet", "host": "node-a"},
     "firstTimestamp": "2026-11-27T17:00:00Z", "lastTimestamp": "\#(lastTimestamp)"}
    """#
}

func record(
    _ name: String, namespace: String = "shop", kind: String = "Pod", reason: String = "BackOff",
    message: String = "Back-off restarting failed container", type: String = "Warning", count: Int = 1,
    lastTimestamp: String = "2026-11-27T17:00:00Z"
) throws -> KubernetesEventRecord {
    let json = eventJSON(
        name, namespace: namespace, kind: kind, reason: reason, message: message, type: type, count: count,
        lastTimestamp: lastTimestamp)
    return KubernetesEventRecord(try JSONDecoder().decode(Event.self, from: Data(json.utf8)))
}

func counterValue(_ registry: MetricsRegistry, _ name: String, _ labels: [String: String]) -> Double? {
    registry.collect().first { $0.name == name }?.samples.first { sample in
        labels.allSatisfy { sample.labels[$0.key] == $0.value }
    }?.value
}
