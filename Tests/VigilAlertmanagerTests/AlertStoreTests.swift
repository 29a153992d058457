import Testing
import VigilModel
@testable import VigilAlertmanager

@Suite("Alert store")
struct AlertStoreTests {
    @Test("fingerprints are prometheus/common's FNV-1a over sorted labels")
    func fingerprint() {
        #expect(Fingerprint(Labels.empty).rawValue == 14_695_981_039_346_656_037)
        let known = labels(["name": "garland, briggs", "fear": "love is not enough"])
        #expect(Fingerprint(known).rawValue == 5_799_056_148_416_392_346)
        #expect(Fingerprint(known).description == "507a62d79ee76c9a")
        #expect(Fingerprint(hex: "507a62d79ee76c9a") == Fingerprint(known))
    }

    @Test("posted alerts get the API's defaults and validation")
    func validation() throws {
        let now = t0
        let timeout = 5 * minute
        let plain = try PostableAlert(labels: ["alertname": "A", "empty": ""]).accepted(now: now, resolveTimeout: timeout)
        #expect(plain.startsAt == now)
        #expect(plain.endsAt == now + timeout)
        #expect(plain.timeout)
        #expect(plain.labels == labels(["alertname": "A"]))
        let ended = try PostableAlert(labels: ["a": "b"], endsAt: now - minute).accepted(now: now, resolveTimeout: timeout)
        #expect(ended.startsAt == now - minute)
        #expect(!ended.timeout)
        func message(_ alert: PostableAlert) -> String? {
            do {
                _ = try alert.accepted(now: now, resolveTimeout: timeout)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(message(PostableAlert(labels: [:])) == "at least one label pair required")
        #expect(message(PostableAlert(labels: ["a": ""])) == "at least one label pair required")
        #expect(message(PostableAlert(labels: ["a-b": "c"])) == #"invalid label set: invalid name "a-b""#)
        #expect(message(PostableAlert(labels: ["a": "b"], startsAt: now, endsAt: now - 1)) == "start time must be before end time")
        #expect(message(PostableAlert(labels: ["a": "b"], annotations: ["0x": "y"])) == #"invalid annotations: invalid name "0x""#)
    }

    @Test("a re-posted alert merges as types.Alert.Merge: earliest start, explicit end over timeout")
    func merge() {
        let store = AlertStore()
        let name = labels(["alertname": "A"])
        _ = store.put([Alert(labels: name, startsAt: t0, endsAt: t0 + 5 * minute, updatedAt: t0, timeout: true)], now: t0)
        // Re-sent a minute later with a later start: the first start stays, the new timeout end wins.
        let merged = store.put(
            [Alert(labels: name, startsAt: t0 + minute, endsAt: t0 + 6 * minute, updatedAt: t0 + minute, timeout: true)],
            now: t0 + minute)[0]
        #expect(merged.startsAt == t0)
        #expect(merged.endsAt == t0 + 6 * minute)
        // An explicit resolution inside the window resolves it.
        let resolved = store.put(
            [Alert(labels: name, startsAt: t0, endsAt: t0 + 2 * minute, updatedAt: t0 + 2 * minute)], now: t0 + 2 * minute)[0]
        #expect(resolved.endsAt == t0 + 2 * minute)
        #expect(resolved.isResolved(at: t0 + 2 * minute))
        // Garbage collection drops resolved alerts only.
        _ = store.put([Alert(labels: labels(["alertname": "B"]), startsAt: t0, endsAt: t0 + 60 * minute)], now: t0)
        #expect(store.collectGarbage(now: t0 + 3 * minute) == [Fingerprint(name)])
        #expect(store.all().map(\.labels) == [labels(["alertname": "B"])])
    }
}
