import Foundation
import Testing
import VigilModel
import VigilTestSupport
@testable import VigilAlertmanager

@Suite("Silences")
struct SilencesTests {
    private func matcher(_ text: String) throws -> [LabelMatcher] { try AlertMatchers.parse(text) }

    private func silence(_ matchers: String, from start: Int64, to end: Int64, id: String = "") throws -> Silence {
        Silence(id: id, matchers: try matcher(matchers), startsAt: start, endsAt: end, createdBy: "me", comment: "test")
    }

    @Test("states, matching, and expiry")
    func lifecycle() throws {
        let silences = Silences()
        let id = try silences.set(try silence(#"alertname="A",env=~"prod|staging""#, from: t0 + minute, to: t0 + 60 * minute), now: t0)
        #expect(UUID(uuidString: id) != nil)
        #expect(silences.get(id: id)?.state(at: t0) == .pending)
        #expect(silences.activeIDs(matching: labels(["alertname": "A", "env": "prod"]), now: t0).isEmpty)
        #expect(silences.activeIDs(matching: labels(["alertname": "A", "env": "prod"]), now: t0 + 2 * minute) == [id])
        #expect(silences.activeIDs(matching: labels(["alertname": "A", "env": "dev"]), now: t0 + 2 * minute).isEmpty)
        try silences.expire(id: id, now: t0 + 10 * minute)
        #expect(silences.get(id: id)?.endsAt == t0 + 10 * minute)
        #expect(silences.get(id: id)?.state(at: t0 + 11 * minute) == .expired)
        #expect(throws: SilenceError.self) { try silences.expire(id: id, now: t0 + 11 * minute) }
        // Kept for the retention after its end, then dropped.
        #expect(silences.collectGarbage(now: t0 + 10 * minute + silences.retention - 1) == 0)
        #expect(silences.collectGarbage(now: t0 + 10 * minute + silences.retention) == 1)
    }

    @Test("update in place or replace, as Alertmanager decides")
    func updates() throws {
        let silences = Silences()
        let id = try silences.set(try silence("a=b", from: t0 - minute, to: t0 + 60 * minute), now: t0)
        let stored = try #require(silences.get(id: id))
        #expect(stored.startsAt == t0)  // a start in the past moves to now
        // Extending an active silence keeps its ID.
        var extended = stored
        extended.endsAt = t0 + 120 * minute
        #expect(try silences.set(extended, now: t0 + minute) == id)
        #expect(silences.get(id: id)?.endsAt == t0 + 120 * minute)
        // Changing the matchers expires the old one and creates a new one.
        var changed = extended
        changed.matchers = try matcher("a=c")
        let replacement = try silences.set(changed, now: t0 + 2 * minute)
        #expect(replacement != id)
        #expect(silences.get(id: id)?.endsAt == t0 + 2 * minute)
        #expect(silences.get(id: replacement)?.state(at: t0 + 2 * minute) == .active)
        // Unknown IDs and invalid silences are refused.
        let unknown = try silence("a=b", from: t0, to: t0 + minute, id: "nope")
        #expect(throws: SilenceError(.notFound, "not found")) { try silences.set(unknown, now: t0) }
        let matchesEverything = try silence("a=~.*", from: t0, to: t0 + minute)
        #expect(throws: SilenceError(.invalid, "at least one matcher must not match the empty string")) {
            try silences.set(matchesEverything, now: t0)
        }
        let backwards = try silence("a=b", from: t0 + minute, to: t0)
        #expect(throws: SilenceError(.invalid, "end time must not be before start time")) {
            try silences.set(backwards, now: t0)
        }
    }

    @Test("snapshots survive a restart; a damaged snapshot is a clear error")
    func persistence() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/silences.json"
        let first = Silences(snapshotPath: path)
        let id = try first.set(try silence(#"job=~"node|db",env!="dev""#, from: t0, to: t0 + 60 * minute), now: t0)
        try first.saveSnapshot()
        let second = Silences(snapshotPath: path)
        try second.loadSnapshot(now: t0 + minute)
        #expect(second.get(id: id) == first.get(id: id))
        #expect(second.activeIDs(matching: labels(["job": "db"]), now: t0 + minute) == [id])

        _ = try directory.write("silences.json", "{\"version\": 1, \"kind\": \"silences\", \"records\": [{]}")
        let third = Silences(snapshotPath: path)
        do {
            try third.loadSnapshot(now: t0)
            Issue.record("a damaged snapshot loaded")
        } catch {
            #expect(error.message.hasPrefix(path + ": not a valid silences snapshot"))
        }
    }
}
