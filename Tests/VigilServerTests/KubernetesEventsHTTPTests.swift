import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilModel
import VigilTestSupport

/// `kubernetes_events:` in `vigil server`: events from the API server are filtered, stored once,
/// searchable at `/api/v1/events`, and counted in `/metrics` whether or not the filter passes them.
@Suite struct KubernetesEventsHTTPTests {
    static func event(_ name: String, reason: String, type: String, count: Int, seen: String) -> String {
        #"""
        {"kind": "Event", "apiVersion": "v1",
         "metadata": {"name": "\#(name)", "namespace": "shop", "uid": "uid-\#(name)"},
         "involvedObject": {"kind": "Pod", "namespace": "shop", "name": "web-0", "apiVersion": "v1"},
         "reason": "\#(reason)", "message": "m \#(name)", "type": "\#(type)", "count": \#(count),
         "source": {"component": "kubelet", "host": "node-a"},
         "firstTimestamp": "\#(seen)", "lastTimestamp": "\#(seen)"}
        """#
    }

    @Test func eventsAreFilteredStoredOnceAndCounted() async throws {
        let api = FakeKubernetesAPIServer()
        try await api.run { url in
            let temp = try TemporaryDirectory()
            let configPath = temp.path + "/vigil.yml"
            try """
                kubernetes_events:
                  api_server: \(url)
                  filter: {level: Warning}
                """.write(toFile: configPath, atomically: true, encoding: .utf8)
            try await withRunningServer(configPath: configPath, dataDirectory: temp.path + "/data") { client, _ in
                let watching = await eventually { api.openWatches == 1 }
                #expect(watching, "requests: \(api.requests)")
                // Seen after the watcher started, so not skipped as history.
                let seen = RFC3339.format(milliseconds: Int64(Date().timeIntervalSince1970 * 1000) + 60_000)
                try api.apply(Self.event("crash", reason: "BackOff", type: "Warning", count: 1, seen: seen))
                try api.apply(Self.event("pulled", reason: "Pulled", type: "Normal", count: 1, seen: seen))
                try api.apply(Self.event("crash", reason: "BackOff", type: "Warning", count: 3, seen: seen))
                let counted = await eventually {
                    let metrics = (try? await client.get("/metrics").text) ?? ""
                    return metrics.contains(#"vigil_kubernetes_events_total{kind="Pod",namespace="shop",reason="BackOff",type="Warning"} 3"#)
                        && metrics.contains(#"vigil_kubernetes_events_total{kind="Pod",namespace="shop",reason="Pulled",type="Normal"} 1"#)
                }
                #expect(counted)
                let stored = await eventually {
                    ((try? await client.get("/api/v1/events?namespace=shop").text) ?? "").contains(#""reason":"BackOff""#)
                }
                #expect(stored)
                let answer = try await client.get("/api/v1/events?namespace=shop").text
                #expect(answer.components(separatedBy: #""reason":"BackOff""#).count == 2, "stored once: \(answer)")
                #expect(!answer.contains("Pulled"), "the Normal event is filtered: \(answer)")
                let none = try await client.get("/api/v1/events?namespace=other").text
                #expect(none == #"{"status":"success","data":[]}"#)
                let bad = try await client.get("/api/v1/events?limit=-1")
                #expect(bad.status == .badRequest)
            }
        }
    }
}
