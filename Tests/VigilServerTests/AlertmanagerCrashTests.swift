import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing
import VigilTestSupport

/// What the embedded Alertmanager acknowledged survives SIGKILL: a confirmed silence is still in
/// force after a restart, and a notification already sent is not sent again.
@Suite(.serialized) struct AlertmanagerSurvivesSIGKILL {
    /// A webhook receiver on a loopback port that records each notification's group key and alerts.
    final class Hook: Sendable {
        let received = Mutex<[(groupKey: String, alerts: Int)]>([])
        var count: Int { received.withLock { $0.count } }
        var groupKeys: [String] { received.withLock { $0.map(\.groupKey) } }
    }

    static func withHook<T>(_ body: (Hook, Int) async throws -> T) async throws -> T {
        let hook = Hook()
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let data = try await request.body.collect(upTo: 1 << 20)
            if let object = try JSONSerialization.jsonObject(with: Data(data.readableBytesView)) as? [String: Any] {
                let key = object["groupKey"] as? String ?? ""
                let alerts = (object["alerts"] as? [Any])?.count ?? 0
                hook.received.withLock { $0.append((key, alerts)) }
            }
            return Response(status: .ok)
        }
        return try await LoopbackHTTPServer.run(router) { port in try await body(hook, port) }
    }

    static func post(_ port: Int, _ json: String) async throws {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let response = try await client.post(
                "/api/v2/alerts", headers: [.contentType: "application/json"], body: ByteBuffer(string: json))
            #expect(response.status == .ok, "\(response.text)")
        }
    }

    @Test func silencesAndSentNotificationsSurvive() async throws {
        try await Self.withHook { hook, hookPort in
            let temp = try TemporaryDirectory()
            let amPath = try temp.write("alertmanager.yml", """
                route:
                  receiver: hook
                  group_by: [alertname]
                  group_wait: 1s
                  group_interval: 1h
                  repeat_interval: 4h
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: http://127.0.0.1:\(hookPort)/hook
                """)
            let arguments = [
                "server", "--data-dir", temp.path + "/data", "--listen", "127.0.0.1:0", "--alertmanager.config.file", amPath,
            ]
            let first = try VigilProcess(arguments)
            try first.start()
            var firstPort = try #require(await first.waitForListenPort(), "\(first.standardError)")
            let url = ["--alertmanager.url", "http://127.0.0.1:\(firstPort)"]
            let added = try await VigilProcess.run(["silence", "add"] + url + ["Quiet", "--comment", "kept across a crash"])
            #expect(added.status == 0, "\(added.err)")
            let silenceID = added.out.trimmingCharacters(in: .whitespacesAndNewlines)
            try await Self.post(firstPort, #"[{"labels":{"alertname":"Disk","instance":"a"}}]"#)
            let notified = try await eventually(timeout: .seconds(120)) { hook.count == 1 }
            #expect(notified)
            // The notification log is written within a second of the send.
            try await Task.sleep(for: .seconds(2))
            first.signal(SIGKILL)
            _ = first.waitForExit(timeout: 30)

            let second = try VigilProcess(arguments)
            try second.start()
            defer { second.signal(SIGKILL) }
            firstPort = try #require(await second.waitForListenPort(), "\(second.standardError)")
            let again = ["--alertmanager.url", "http://127.0.0.1:\(firstPort)"]
            let listed = try await VigilProcess.run(["silence", "query", "-q"] + again)
            #expect(listed.out == silenceID + "\n", "the acknowledged silence is still in force: \(listed.out) \(listed.err)")

            // Prometheus re-sends its firing alerts; the group was notified before the crash.
            try await Self.post(firstPort, #"[{"labels":{"alertname":"Disk","instance":"a"}}]"#)
            // Another group posted later proves the Alertmanager flushed both groups since.
            try await Task.sleep(for: .seconds(1))
            try await Self.post(firstPort, #"[{"labels":{"alertname":"CPU","instance":"b"}}]"#)
            let other = try await eventually(timeout: .seconds(120)) { hook.count >= 2 }
            #expect(other)
            try await Task.sleep(for: .seconds(1))
            #expect(hook.groupKeys == [#"{}:{alertname="Disk"}"#, #"{}:{alertname="CPU"}"#], "no duplicate of Disk's notification")
        }
    }
}
