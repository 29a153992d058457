import Foundation
import Testing
import VigilEvents
import VigilModel
import VigilTestSupport

@Suite struct KubernetesEventStoreTests {
    static func ms(_ text: String) throws -> Int64 { try #require(RFC3339.parse(text)) }

    @Test func searchesByEveryFieldAndTimeAcrossDays() async throws {
        let directory = try TemporaryDirectory()
        let store = try KubernetesEventStore(directory: URL(fileURLWithPath: directory.path))
        try await store.append(
            [
                try record("a", lastTimestamp: "2026-11-25T10:00:00Z"),
                try record("b", namespace: "ops", reason: "Unhealthy", lastTimestamp: "2026-11-26T10:00:00Z"),
                try record("c", kind: "Node", type: "Normal", lastTimestamp: "2026-11-27T10:00:00Z"),
                try record("d", lastTimestamp: "2026-11-27T11:00:00Z"),
            ], now: 0)
        let names = { (query: KubernetesEventQuery) async throws -> [String] in try await store.search(query).map(\.name) }
        #expect(try await names(KubernetesEventQuery()) == ["a", "b", "c", "d"])
        #expect(try await names(KubernetesEventQuery(namespace: "ops")) == ["b"])
        #expect(try await names(KubernetesEventQuery(kind: "Node")) == ["c"])
        #expect(try await names(KubernetesEventQuery(reason: "BackOff", type: "Warning")) == ["a", "d"])
        #expect(try await names(KubernetesEventQuery(object: "web-0", start: try Self.ms("2026-11-26T00:00:00Z"))) == ["b", "c", "d"])
        #expect(try await names(KubernetesEventQuery(end: try Self.ms("2026-11-26T10:00:00Z"))) == ["a", "b"])
        #expect(try await names(KubernetesEventQuery(limit: 2)) == ["c", "d"])
        let back = try await store.search(KubernetesEventQuery(namespace: "ops")).first
        #expect(back == (try record("b", namespace: "ops", reason: "Unhealthy", lastTimestamp: "2026-11-26T10:00:00Z")))
    }

    @Test func retentionDeletesWholeOldDaysAndATornLineIsSkipped() async throws {
        let directory = try TemporaryDirectory()
        let store = try KubernetesEventStore(directory: URL(fileURLWithPath: directory.path), retention: .seconds(86_400))
        try await store.append(
            [try record("old", lastTimestamp: "2026-11-20T10:00:00Z"), try record("new", lastTimestamp: "2026-11-27T10:00:00Z")],
            now: 0)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.path + "/events-2026-11-27.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"identity":"torn","nam"#.utf8))
        try handle.close()
        let removed = try await store.enforceRetention(now: try Self.ms("2026-11-27T12:00:00Z"))
        #expect(removed == 1)
        #expect(try await store.search(KubernetesEventQuery()).map(\.name) == ["new"])
        #expect(await store.unreadableLines == 1)
    }

    @Test func theStoreSinkKeepsWhatTheWatcherSends() async throws {
        let directory = try TemporaryDirectory()
        let store = try KubernetesEventStore(directory: URL(fileURLWithPath: directory.path))
        let sink = KubernetesEventStoreSink(store: store, now: { 0 })
        try await sink.send([KubernetesEventNotification(record: try record("a"))])
        #expect(try await store.search(KubernetesEventQuery()).map(\.name) == ["a"])
    }
}

@Suite struct KubernetesEventsAPITests {
    @Test func answersInThePrometheusEnvelopeAndNamesABadParameter() async throws {
        let directory = try TemporaryDirectory()
        let store = try KubernetesEventStore(directory: URL(fileURLWithPath: directory.path))
        try await store.append(
            [try record("a", lastTimestamp: "2026-11-26T10:00:00Z"), try record("b", namespace: "ops", lastTimestamp: "2026-11-27T10:00:00Z")],
            now: 0)
        let found = await KubernetesEventsAPI.respond(to: ["namespace": "ops", "start": "1795737600"], store: store)
        #expect(found.status == 200)
        #expect(found.body.hasPrefix(#"{"status":"success","data":[{"namespace":"ops","name":"b","#))
        #expect(found.body.hasSuffix("}]}"))
        let none = await KubernetesEventsAPI.respond(to: ["end": "2026-11-25T00:00:00Z"], store: store)
        #expect(none.status == 200 && none.body == #"{"status":"success","data":[]}"#)
        let bad = await KubernetesEventsAPI.respond(to: ["start": "yesterday"], store: store)
        #expect(bad.status == 400 && bad.body.contains(#"invalid parameter \"start\""#))
        let badLimit = await KubernetesEventsAPI.respond(to: ["limit": "-1"], store: store)
        #expect(badLimit.status == 400 && badLimit.body.contains("limit"))
    }
}
