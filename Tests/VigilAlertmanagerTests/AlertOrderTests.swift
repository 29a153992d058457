import Testing
import VigilModel
@testable import VigilAlertmanager

@Suite("Alert order in notifications")
struct AlertOrderTests {
    private func alert(_ pairs: KeyValuePairs<String, String>) -> Alert {
        Alert(labels: labels(pairs), startsAt: t0)
    }

    @Test("by job, then instance (alerts without them last), then label set")
    func order() {
        let alerts = [
            alert(["alertname": "A"]),
            alert(["alertname": "A", "job": "b"]),
            alert(["alertname": "A", "job": "a", "instance": "2"]),
            alert(["alertname": "A", "job": "a", "instance": "1"]),
            alert(["alertname": "A", "job": "a"]),
            alert(["alertname": "B", "zone": "z"]),
            alert(["alertname": "C"]),
        ].shuffled()
        let sorted = alerts.sorted(by: AlertOrder.less).map(\.labels.description)
        #expect(sorted == [
            #"{alertname="A", instance="1", job="a"}"#,
            #"{alertname="A", instance="2", job="a"}"#,
            #"{alertname="A", job="a"}"#,
            #"{alertname="A", job="b"}"#,
            #"{alertname="A"}"#,
            #"{alertname="C"}"#,
            #"{alertname="B", zone="z"}"#,
        ])
    }
}
