import Synchronization

/// The event counts behind the Alertmanager's self-metrics; thread-safe, cheap to bump.
final class AlertmanagerCounters: Sendable {
    struct Integration {
        var notifications = 0
        var failedNotifications = 0
        var requests = 0
        var failedRequests = 0
    }

    struct State {
        var receivedFiring = 0
        var receivedResolved = 0
        var invalid = 0
        var integrations: [String: Integration] = [:]
    }

    private let state = Mutex(State())

    var snapshot: State { state.withLock { $0 } }

    func received(firing: Int, resolved: Int, invalid: Int) {
        state.withLock {
            $0.receivedFiring += firing
            $0.receivedResolved += resolved
            $0.invalid += invalid
        }
    }

    /// One attempt to deliver through `integration` (a request), and whether it failed.
    func request(_ integration: String, failed: Bool) {
        state.withLock {
            $0.integrations[integration, default: Integration()].requests += 1
            if failed { $0.integrations[integration, default: Integration()].failedRequests += 1 }
        }
    }

    /// One notification (all its attempts) through `integration`, and whether it finally failed.
    func notification(_ integration: String, failed: Bool) {
        state.withLock {
            $0.integrations[integration, default: Integration()].notifications += 1
            if failed { $0.integrations[integration, default: Integration()].failedNotifications += 1 }
        }
    }
}
