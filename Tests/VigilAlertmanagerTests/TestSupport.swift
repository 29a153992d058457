import Synchronization
@testable import VigilAlertmanager
import VigilConfig
import VigilModel

/// A clock tests move by hand; sleepers wake once the time reaches their deadline.
final class ManualClock: AlertmanagerClock {
    private let time: Mutex<Int64>

    init(_ start: Int64) { time = Mutex(start) }

    func now() -> Int64 { time.withLock { $0 } }

    func set(_ value: Int64) { time.withLock { $0 = value } }

    func advance(by nanoseconds: Int64) { time.withLock { $0 += nanoseconds } }

    func sleep(until target: Int64) async throws {
        while now() < target {
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}

/// An integration that records what it was asked to send and fails as told.
final class RecordingIntegration: Integration {
    let name: String
    let index: Int
    let sendResolved: Bool
    private let state = Mutex<(sent: [NotificationData], failures: [IntegrationError])>(([], []))

    init(name: String = "webhook", index: Int = 0, sendResolved: Bool = true) {
        self.name = name
        self.index = index
        self.sendResolved = sendResolved
    }

    /// Makes the next calls fail with these errors, in order.
    func failNext(_ errors: [IntegrationError]) { state.withLock { $0.failures = errors } }

    var sent: [NotificationData] { state.withLock { $0.sent } }

    func notify(_ data: NotificationData) async throws(IntegrationError) {
        let failure: IntegrationError? = state.withLock { state in
            if !state.failures.isEmpty { return state.failures.removeFirst() }
            state.sent.append(data)
            return nil
        }
        if let failure { throw failure }
    }
}

let second: Int64 = 1_000_000_000
let minute: Int64 = 60 * second
/// 2026-01-05T10:00:00Z, a Monday.
let t0: Int64 = 1_767_607_200 * second

func route(_ yaml: String) throws -> Route {
    Route(try ConfigDecoder.decode(RouteConfig.self, fromYAML: yaml, fileName: "route.yml"))
}

func labels(_ pairs: KeyValuePairs<String, String>) -> Labels {
    Labels(pairs.map { Label(name: $0.key, value: $0.value) })
}
