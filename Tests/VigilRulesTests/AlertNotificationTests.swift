import Synchronization
import Testing
import VigilModel
import VigilRules

/// What alerting rules hand to the notifier after each evaluation (Prometheus's `sendAlerts`).
@Suite("Alert notifications")
struct AlertNotificationTests {
    /// Every notification: the expression and the alerts' (state, lastSentAt, validUntil, resolvedAt).
    final class Recorder: Sendable {
        let calls = Mutex<[(expression: String, alerts: [Alert])]>([])

        func notify(_ expression: String, _ alerts: [Alert]) {
            calls.withLock { $0.append((expression, alerts)) }
        }

        func take() -> [(expression: String, alerts: [Alert])] {
            calls.withLock { calls in
                defer { calls.removeAll() }
                return calls
            }
        }
    }

    @Test("firing alerts are sent at once and then every resend delay; pending ones never; resolved ones at once")
    func resendSchedule() throws {
        let store = try RuleTestStore()
        let up: Labels = ["__name__": "up", "job": "api"]
        try store.append(up, (0..<7).map { (t0 + Int64($0) * minute - 1_000, 0) })
        try store.append(up, [(t0 + 7 * minute - 1_000, 1)])
        let rules = try group("""
            groups:
              - name: g
                rules:
                  - alert: Down
                    expr: up   ==   0
                    for: 1m
            """)
        let recorder = Recorder()
        var environment = store.environment
        environment.resendDelay = 2 * minute
        environment.notify = { recorder.notify($0, $1) }

        rules.evaluate(at: t0, environment: environment)
        #expect(recorder.take().isEmpty, "a pending alert is not sent")

        rules.evaluate(at: t0 + minute, environment: environment)
        let first = recorder.take()
        #expect(first.count == 1)
        #expect(first.first?.expression == "up == 0")
        let fired = try #require(first.first?.alerts.first)
        #expect(fired.state == .firing)
        #expect(fired.firedAt == t0 + minute)
        #expect(fired.lastSentAt == t0 + minute)
        // Four times the larger of the group interval (1m) and the resend delay (2m).
        #expect(fired.validUntil == t0 + minute + 8 * minute)

        rules.evaluate(at: t0 + 2 * minute, environment: environment)
        rules.evaluate(at: t0 + 3 * minute, environment: environment)
        #expect(recorder.take().isEmpty, "within the resend delay (not past it) nothing is sent again")

        rules.evaluate(at: t0 + 4 * minute, environment: environment)
        let resent = recorder.take()
        #expect(resent.first?.alerts.first?.lastSentAt == t0 + 4 * minute)

        rules.evaluate(at: t0 + 7 * minute, environment: environment)
        let resolved = try #require(recorder.take().first?.alerts.first)
        #expect(resolved.state == .inactive)
        #expect(resolved.resolvedAt == t0 + 7 * minute)

        rules.evaluate(at: t0 + 8 * minute, environment: environment)
        #expect(recorder.take().isEmpty, "a resolved alert already sent waits for the resend delay")
        rules.evaluate(at: t0 + 10 * minute, environment: environment)
        #expect(recorder.take().first?.alerts.first?.state == .inactive, "and is sent again while it is kept")
    }
}
