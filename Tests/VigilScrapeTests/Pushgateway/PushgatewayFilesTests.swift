import VigilTestSupport
import Foundation
import Testing
import VigilModel
@testable import VigilScrape

/// Groups surviving restarts: the snapshot and journal round trip, and damaged files moved aside
/// without losing what can still be read.
@Suite struct PersistingGroups {
    typealias F = PushgatewayFixtures

    func open(_ directory: String) -> PushgatewayStore {
        PushgatewayStore(directory: directory, logger: F.quietLogger, clock: StepClock().read)
    }

    static let body = """
        # HELP c A counter with "quotes" and \\\\ backslash
        # TYPE c counter
        c{path="a\\\\b\\"c\\nd",empty=""} 1e+06
        # TYPE g gauge
        g NaN
        g{x="inf"} +Inf
        # TYPE s summary
        s{quantile="0.5"} -0
        s_sum 1.5
        s_count 3
        # TYPE h histogram
        h_bucket{le="0.25"} 1
        h_bucket{le="+Inf"} 4
        h_sum -2e-300
        h_count 4
        u 5

        """

    /// Snapshots equal except that NaN equals NaN.
    func same(_ lhs: [PushedGroup], _ rhs: [PushedGroup]) -> Bool {
        func text(_ groups: [PushedGroup]) -> String {
            String(decoding: PushgatewayExposition(groups: groups).text, as: UTF8.self)
        }
        return lhs.map(\.key) == rhs.map(\.key) && text(lhs) == text(rhs)
            && lhs.map { $0.families.mapValues(\.updated) } == rhs.map { $0.families.mapValues(\.updated) }
    }

    @Test func groupsSurviveAReopen() async throws {
        let directory = try TemporaryDirectory()
        let before: [PushedGroup]
        do {
            let store = open(directory.path)
            #expect(try await F.push(store, "/metrics/job/a/instance/i", Self.body) == nil)
            #expect(try await F.push(store, "/metrics/job/b/path@base64/L3Zhcg", "x 1\n") == nil)
            #expect(try await F.push(store, "/metrics/job/c", "y 1\n") == nil)
            #expect(try await F.push(store, "/metrics/job/a/instance/i", "x 2\n", replace: false)?.httpStatus == nil)
            #expect(try await F.push(store, "/metrics/job/b/path@base64/L3Zhcg", "x 1 5\n")?.httpStatus == 400)
            try await store.delete(F.key("/metrics/job/c"))
            before = await store.snapshot
        }
        #expect(FileManager.default.fileExists(atPath: directory.path + "/groups.journal"))
        let reopened = open(directory.path)
        #expect(reopened.loadReport.problems.isEmpty)
        #expect(reopened.loadReport.groups == 2)
        let after = await reopened.snapshot
        #expect(same(before, after))
        #expect(after.map(\.key.job) == ["a", "b"])
        #expect(after.last?.lastPushSuccessful == false, "the failure time survives too")
        // The reopen folded the journal into the snapshot.
        let journal = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/groups.journal"))
        #expect(journal.isEmpty)
        #expect(same(after, await open(directory.path).snapshot))
    }

    @Test func aCorruptSnapshotIsMovedAsideAndTheJournalStillReplays() async throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("groups.json", "{\"version\":1,\"groups\":[{\"labels\":")
        _ = try directory.write("groups.journal", "")
        do {
            let store = open(directory.path)
            #expect(store.loadReport.movedAside.count == 1)
            #expect(store.loadReport.problems.first?.contains("groups.json is unreadable") == true)
            #expect(await store.snapshot.isEmpty)
            #expect(try await F.push(store, "/metrics/job/after", "x 1\n") == nil)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names.contains { $0.hasPrefix("groups.json.corrupt-") })
        let reopened = open(directory.path)
        #expect(reopened.loadReport.problems.isEmpty)
        #expect(await reopened.snapshot.map(\.key.job) == ["after"])
    }

    @Test func aSnapshotOfAnotherVersionOrShapeIsNotTrusted() async throws {
        for text in ["{\"version\":2,\"groups\":[]}", "{\"version\":1,\"groups\":[{\"labels\":{\"instance\":\"x\"},\"families\":[]}]}",
                     "[]", "\u{0}\u{1}binary", "{\"version\":1,\"groups\":[{\"labels\":{\"job\":\"j\"},\"families\":[{\"name\":\"x\",\"type\":\"gauge\",\"updated\":1,\"metrics\":[{\"labels\":[],\"value\":\"zero\"}]}]}]}"] {
            let directory = try TemporaryDirectory()
            _ = try directory.write("groups.json", text)
            let store = open(directory.path)
            #expect(store.loadReport.movedAside.count == 1, "\(text)")
            #expect(await store.snapshot.isEmpty)
        }
    }

    /// Pushes `x` to each job, then appends `text` to the journal the store leaves behind.
    func journal(in directory: String, jobs: [String], thenAppend text: String) async throws {
        do {
            let store = open(directory)
            for job in jobs { #expect(try await F.push(store, "/metrics/job/\(job)", "x 1\n") == nil) }
        }
        let journal = URL(fileURLWithPath: directory + "/groups.journal")
        var bytes = try Data(contentsOf: journal)
        bytes.append(contentsOf: Array(text.utf8))
        try bytes.write(to: journal)
    }

    @Test func aTornJournalLineIsDroppedAndEarlierLinesKept() async throws {
        let directory = try TemporaryDirectory()
        try await journal(in: directory.path, jobs: ["a", "b"], thenAppend: "{\"group\":{\"labels\":{\"job\":\"c\"}")
        let store = open(directory.path)
        #expect(store.loadReport.movedAside.isEmpty)
        #expect(store.loadReport.problems.count == 1)
        #expect(await store.snapshot.map(\.key.job) == ["a", "b"])
    }

    @Test func aDamagedJournalLineStopsTheReplayThere() async throws {
        let directory = try TemporaryDirectory()
        try await journal(in: directory.path, jobs: ["a"], thenAppend: "garbage\n{\"delete\":{\"job\":\"a\"}}\n")
        let store = open(directory.path)
        #expect(store.loadReport.movedAside.count == 1)
        #expect(await store.snapshot.map(\.key.job) == ["a"], "the lines before the damage apply, those after do not")
        #expect(try await F.push(store, "/metrics/job/b", "x 1\n") == nil)
        #expect(await open(directory.path).snapshot.map(\.key.job) == ["a", "b"])
    }

    @Test func theJournalIsFoldedIntoTheSnapshotWhenItGrows() throws {
        let directory = try TemporaryDirectory()
        let files = PushgatewayFiles(directory: directory.path, minimumCompaction: 1000)
        _ = files.load()
        var groups: [GroupingKey: PushedGroup] = [:]
        var compactions = 0
        for index in 0..<50 {
            let key = try GroupingKey(labels: ["job": "j\(index % 5)"])
            var group = PushedGroup(key: key)
            group.families["x"] = .init(family: PushedFamily(name: "x", type: .gauge, metrics: [
                PushedMetric(labels: group.sanitized([]), value: .gauge(Double(index))),
            ]), updated: Int64(index))
            groups[key] = group
            try files.append(PushgatewayRecords.JournalEntry(group: PushgatewayRecords.record(group)))
            if files.needsCompaction {
                try files.writeSnapshot(groups.values)
                compactions += 1
            }
        }
        #expect(compactions > 0)
        let loaded = PushgatewayFiles(directory: directory.path).load()
        #expect(loaded.problems.isEmpty)
        #expect(loaded.groups == groups)
    }

    @Test func wipeIsDurable() async throws {
        let directory = try TemporaryDirectory()
        do {
            let store = open(directory.path)
            #expect(try await F.push(store, "/metrics/job/a", "x 1\n") == nil)
            try await store.wipe()
        }
        #expect(await open(directory.path).snapshot.isEmpty)
    }
}
