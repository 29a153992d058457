import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import Testing
import VigilLogStore
import VigilServer
import VigilTestSupport

/// Loki's `/loki/api/v1/tail` on the real server, through a real WebSocket client: history, live
/// lines through the pipeline, tenants, refusals, the concurrency limit and the client closing.
@Suite struct LokiTailTests {
    /// The frames one tail connection received and how it ended.
    struct TailOutcome: Sendable {
        var frames: [String]
        var close: WebSocketCloseFrame?
    }

    /// Opens a tail, hands every text frame so far to `step` and closes once it answers true.
    static func tail(
        port: Int, query: String, tenant: String? = nil, extra: String = "",
        step: @escaping @Sendable ([String]) async throws -> Bool = { _ in false }
    ) async throws -> TailOutcome {
        let escaped = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        var headers = HTTPFields()
        if let tenant { headers[HTTPField.Name("X-Scope-OrgID")!] = tenant }
        let frames = Mutex<[String]>([])
        let close = try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(port)/loki/api/v1/tail?query=\(escaped)\(extra)",
            configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: headers), logger: Logger(label: "tail-test")
        ) { inbound, outbound, _ in
            if try await step([]) { try await outbound.close(.normalClosure, reason: nil); return }
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message else { continue }
                let soFar = frames.withLock { $0.append(text); return $0 }
                if try await step(soFar) {
                    try await outbound.close(.normalClosure, reason: nil)
                    return
                }
            }
        }
        return TailOutcome(frames: frames.withLock { $0 }, close: close)
    }

    static func push(_ client: TestClient, _ labels: String, _ lines: [String], tenant: String? = nil) async throws {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let tenant { headers[LokiAPITests.tenantHeader] = tenant }
        let response = try await client.post(
            "/loki/api/v1/push", headers: headers, body: LokiAPITests.jsonPush(labels, lines, at: LogStore.wallClock()))
        #expect(response.status == .noContent, "\(response.text)")
    }

    @Test func sendsHistoryThenLiveLinesThroughThePipeline() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServerPort(configPath: nil, dataDirectory: temp.path + "/data") { client, _, port in
            try await Self.push(client, #"{"app":"api"}"#, ["old error 1", "old info", "old error 2"])
            try await Self.push(client, #"{"app":"db"}"#, ["db error"])
            let pushed = Mutex(false)
            let outcome = try await Self.tail(port: port, query: #"{app="api"} |= "error""#) { frames in
                if frames.count == 1, !pushed.withLock({ $0 }) {
                    pushed.withLock { $0 = true }
                    try await Self.push(client, #"{"app":"api"}"#, ["new info", "new error"])
                    try await Self.push(client, #"{"app":"db"}"#, ["new db error"])
                    try await Self.push(client, #"{"app":"api"}"#, ["last error"])
                }
                return frames.joined().contains("last error")
            }
            #expect(outcome.frames.count >= 2)
            let history = outcome.frames.first ?? ""
            #expect(history.hasPrefix(#"{"streams":[{"stream":{"app":"api"},"values":[["#))
            #expect(history.hasSuffix(#""dropped_entries":null}"#))
            #expect(history.contains(#""old error 1"]"#) && history.contains(#""old error 2"]"#))
            #expect(!history.contains("old info") && !history.contains("db error"))
            let live = outcome.frames.dropFirst().joined()
            #expect(live.contains("new error") && live.contains("last error"))
            #expect(!live.contains("new info") && !live.contains("db error"))
        }
    }

    @Test func historyHonoursLimitAndStart() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServerPort(configPath: nil, dataDirectory: temp.path + "/data") { client, _, port in
            try await Self.push(client, #"{"app":"api"}"#, ["a1", "a2", "a3"])
            let outcome = try await Self.tail(port: port, query: #"{app="api"}"#, extra: "&limit=2") { frames in !frames.isEmpty }
            let history = outcome.frames.first ?? ""
            // The newest two, oldest first.
            #expect(history.contains(#""a2"],["#) && history.contains(#""a3"]"#) && !history.contains("a1"))
            let future = LogStore.wallClock() + 3_600_000_000_000
            // Nothing since `start`, so the first frame is the live line (the history frame of an
            // earlier tail proves its subscription is in place before the push).
            let pushed = Mutex(false)
            let late = try await Self.tail(port: port, query: #"{app="api"}"#, extra: "&start=\(future)") { frames in
                if frames.isEmpty, !pushed.withLock({ $0 }) {
                    pushed.withLock { $0 = true }
                    _ = try await Self.tail(port: port, query: #"{app="api"}"#) { frames in !frames.isEmpty }
                    try await Self.push(client, #"{"app":"api"}"#, ["a4"])
                }
                return !frames.isEmpty
            }
            #expect(late.frames.first?.contains("a4") == true)
            #expect(late.frames.first?.contains("a3") == false)
        }
    }

    @Test func tenantsSeeOnlyTheirOwnLines() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServerPort(configPath: nil, dataDirectory: temp.path + "/data") { client, _, port in
            try await Self.push(client, #"{"app":"api"}"#, ["from b history"], tenant: "team-b")
            try await Self.push(client, #"{"app":"api"}"#, ["from a history"], tenant: "team-a")
            let pushed = Mutex(false)
            let outcome = try await Self.tail(port: port, query: #"{app="api"}"#, tenant: "team-a") { frames in
                if frames.count == 1, !pushed.withLock({ $0 }) {
                    pushed.withLock { $0 = true }
                    try await Self.push(client, #"{"app":"api"}"#, ["from b live"], tenant: "team-b")
                    try await Self.push(client, #"{"app":"api"}"#, ["from a live"], tenant: "team-a")
                }
                return frames.joined().contains("from a live")
            }
            let all = outcome.frames.joined()
            #expect(all.contains("from a history") && all.contains("from a live"))
            #expect(!all.contains("from b"))
        }
    }

    @Test func refusesMetricAndBadQueriesBeforeTheUpgrade() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServerPort(configPath: nil, dataDirectory: temp.path + "/data") { client, _, port in
            let metric = try await client.get("/loki/api/v1/tail?query=count_over_time(%7Bapp%3D%22api%22%7D%5B1m%5D)")
            #expect(metric.status == .badRequest)
            #expect(metric.text.contains("only log selector is supported"))
            let bad = try await client.get("/loki/api/v1/tail?query=%7Bapp%3D")
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("parse error"), "\(bad.text)")
            let delay = try await client.get("/loki/api/v1/tail?query=%7Bapp%3D%22a%22%7D&delay_for=6")
            #expect(delay.text == "delay_for can't be greater than 5\n")
            // A WebSocket client sees the refusal as a failed upgrade.
            await #expect(throws: (any Error).self) {
                _ = try await Self.tail(port: port, query: #"sum(rate({app="api"}[1m]))"#) { _ in true }
            }
        }
    }

    @Test func limitsConcurrentTailsAndFreesASlotWhenAClientCloses() async throws {
        let temp = try TemporaryDirectory()
        try await withRunningServerPort(configPath: nil, dataDirectory: temp.path + "/data") { client, _, port in
            let release = Flag()
            let opened = Counter()
            try await Self.push(client, #"{"app":"api"}"#, ["tick"])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        // Each holds its tail open until released; the history frame shows it is served.
                        _ = try await Self.tail(port: port, query: #"{app="api"}"#) { frames in
                            if frames.count == 1 { opened.value.withLock { $0 += 1 } }
                            return release.value.withLock { $0 }
                        }
                    }
                }
                let allOpen = await eventually { opened.value.withLock { $0 } == 10 }
                #expect(allOpen)
                let refused = try await Self.tail(port: port, query: #"{app="api"}"#)
                #expect(refused.close?.closeCode == .unexpectedServerError)
                #expect(refused.close?.reason == "max concurrent tail requests limit exceeded, count > limit (11 > 10)")
                // Release the ten: a push wakes each client, which then closes.
                release.value.withLock { $0 = true }
                try await Self.push(client, #"{"app":"api"}"#, ["wake"])
                try await group.waitForAll()
            }
            // The server noticed every close and freed the slots.
            let served = await eventually {
                let outcome = try? await Self.tail(port: port, query: #"{app="api"}"#) { frames in !frames.isEmpty }
                return outcome?.close?.closeCode != .unexpectedServerError && outcome?.frames.isEmpty == false
            }
            #expect(served)
        }
    }
}

/// Shared state for the tasks of one test (a `Mutex` itself cannot be captured by a child task).
final class Flag: Sendable { let value = Mutex(false) }
final class Counter: Sendable { let value = Mutex(0) }
