import Testing
import VigilModel
@testable import VigilScrape

/// PUT, POST and DELETE on an in-memory store, with the Pushgateway's rules for what a push may
/// contain and how it merges with other groups.
@Suite struct PushingGroups {
    typealias F = PushgatewayFixtures

    func store() -> PushgatewayStore {
        PushgatewayStore(directory: nil, logger: F.quietLogger, clock: StepClock().read)
    }

    @Test func exposesLikeThePushgateway() async throws {
        let store = store()
        #expect(try await F.push(store, "/metrics/job/j1/instance/i1", """
            # HELP foo A foo
            # TYPE foo counter
            foo{a="",b="x"} 1
            foo{b="y"} 2.5
            bar 3
            # TYPE h histogram
            h_bucket{le="1"} 2.7
            h_bucket{le="0.5"} 1
            h_sum 3
            # TYPE s summary
            s{quantile="0.5"} 1
            s_count 2

            """) == nil)
        // The real Pushgateway 1.5.1's /metrics for this push, without its own metrics.
        #expect(await F.text(store) == """
            # TYPE bar untyped
            bar{instance="i1",job="j1"} 3
            # HELP foo A foo
            # TYPE foo counter
            foo{b="y",instance="i1",job="j1"} 2.5
            foo{a="",b="x",instance="i1",job="j1"} 1
            # TYPE h histogram
            h_bucket{instance="i1",job="j1",le="1"} 2
            h_bucket{instance="i1",job="j1",le="0.5"} 1
            h_bucket{instance="i1",job="j1",le="+Inf"} 0
            h_sum{instance="i1",job="j1"} 3
            h_count{instance="i1",job="j1"} 0
            # TYPE s summary
            s{instance="i1",job="j1",quantile="0.5"} 1
            s_sum{instance="i1",job="j1"} 0
            s_count{instance="i1",job="j1"} 2

            """)
        let text = String(decoding: await store.exposition().text, as: UTF8.self)
        #expect(text.contains("push_time_seconds{instance=\"i1\",job=\"j1\"} 1000\n"))
        #expect(text.contains("push_failure_time_seconds{instance=\"i1\",job=\"j1\"} 0\n"))
        #expect(text.contains("""
            # HELP push_time_seconds Last Unix time when changing this group in the Pushgateway succeeded.
            # TYPE push_time_seconds gauge

            """))
    }

    @Test func groupingLabelsOverrideTheBodyAndInstanceDefaultsToEmpty() async throws {
        let store = store()
        #expect(try await F.push(store, "/metrics/job/t1", "x{job=\"other\",instance=\"zz\",k=\"v\"} 1\ny 2\n") == nil)
        let text = await F.text(store)
        #expect(text.contains("x{instance=\"zz\",job=\"t1\",k=\"v\"} 1\n"), "\(text)")
        #expect(text.contains("y{instance=\"\",job=\"t1\"} 2\n"), "\(text)")
    }

    @Test func putReplacesTheGroupPostReplacesFamilies() async throws {
        let store = store()
        #expect(try await F.push(store, "/metrics/job/a", "# HELP x first\n# TYPE x gauge\nx 1\ny 2\n") == nil)
        #expect(try await F.push(store, "/metrics/job/a", "# TYPE x gauge\nx{k=\"v\"} 3\nz 4\n", replace: false) == nil)
        #expect(await F.text(store) == """
            # TYPE x gauge
            x{instance="",job="a",k="v"} 3
            # TYPE y untyped
            y{instance="",job="a"} 2
            # TYPE z untyped
            z{instance="",job="a"} 4

            """)
        #expect(try await F.push(store, "/metrics/job/a", "z 5\n") == nil)
        #expect(await F.text(store) == "# TYPE z untyped\nz{instance=\"\",job=\"a\"} 5\n")
        #expect(try await F.push(store, "/metrics/job/a", "") == nil)
        #expect(await F.text(store) == "")
        let group = try #require(await store.snapshot.first)
        #expect(Set(group.families.keys) == ["push_time_seconds", "push_failure_time_seconds"], "an empty PUT keeps the group")
    }

    @Test func pushTimesMoveAndFailuresAreRecorded() async throws {
        let store = store()
        #expect(try await F.push(store, "/metrics/job/a", "x 1\n") == nil)
        #expect(try await F.push(store, "/metrics/job/a", "x 1 1234\n")?.message
            == "pushed metrics are invalid or inconsistent with existing metrics: pushed metrics must not have timestamps")
        var group = try #require(await store.snapshot.first)
        #expect(group.families["push_time_seconds"]?.family.metrics.first?.value == .gauge(1000))
        #expect(group.families["push_failure_time_seconds"]?.family.metrics.first?.value == .gauge(1001))
        #expect(!group.lastPushSuccessful)
        #expect(group.families["x"] != nil, "a refused push changes nothing else")
        #expect(try await F.push(store, "/metrics/job/a", "x 2\n", replace: false) == nil)
        group = try #require(await store.snapshot.first)
        #expect(group.lastPushSuccessful)
        #expect(group.families["push_failure_time_seconds"]?.family.metrics.first?.value == .gauge(1001))
    }

    @Test func aRefusedPushCreatesTheGroupWithPushTimeZero() async throws {
        let store = store()
        #expect(try await F.push(store, "/metrics/job/new", "x 1 1234\n")?.httpStatus == 400)
        let group = try #require(await store.snapshot.first)
        #expect(group.key.job == "new")
        #expect(Set(group.families.keys) == ["push_time_seconds", "push_failure_time_seconds"])
        #expect(group.families["push_time_seconds"]?.family.metrics.first?.value == .gauge(0))
    }

    @Test func typesMustAgreeAcrossGroups() async throws {
        let store = store()
        #expect(try await F.push(store, "/metrics/job/b", "# HELP z other help\nz 1\n") == nil)
        #expect(try await F.push(store, "/metrics/job/c", "# HELP z third help\nz 1\n") == nil, "help may differ")
        let refused = try await F.push(store, "/metrics/job/d", "# TYPE z counter\nz 1\n")
        #expect(refused?.isRejectedPush == true)
        #expect(refused?.message.contains("has type COUNTER in group {job=\"d\"} but UNTYPED in group {job=\"b\"}") == true, "\(String(describing: refused))")
        #expect(await F.text(store) == """
            # HELP z other help
            # TYPE z untyped
            z{instance="",job="b"} 1
            z{instance="",job="c"} 1

            """, "the first group's help wins; group d holds only its push times")
        #expect(await store.snapshot.map(\.key.job) == ["b", "c", "d"])
    }

    @Test func duplicatesAreRefusedWithinAndAcrossGroups() async throws {
        let store = store()
        #expect(try await F.push(store, "/metrics/job/t3", "x 1\nx 2\n")?.message.contains("was collected before") == true)
        #expect(try await F.push(store, "/metrics/job/f", "q{instance=\"x\"} 1\n") == nil)
        #expect(try await F.push(store, "/metrics/job/f/instance/x", "q 1\n")?.message.contains("was collected before") == true)
        #expect(try await F.push(store, "/metrics/job/g", "q{a=\"\"} 1\nq 2\n") == nil, "an empty value is still a label here")
    }

    @Test func summariesAndHistogramsCollideWithTheirSuffixes() async throws {
        let store = store()
        #expect(try await F.push(store, "/metrics/job/e", "# TYPE w summary\nw_sum 1\n") == nil)
        #expect(try await F.push(store, "/metrics/job/e2", "w_count 1\n")?.message.contains("collides with previously collected summary named \"w\"") == true)
        #expect(try await F.push(store, "/metrics/job/e3", "w_bucket 1\n") == nil, "a summary has no _bucket")
        #expect(try await F.push(store, "/metrics/job/e4", "v_bucket 1\n") == nil)
        #expect(try await F.push(store, "/metrics/job/e5", "# TYPE v histogram\nv_count 1\n")?.message.contains("collides") == true)
    }

    @Test func reservedLabelNamesAreRefused() async throws {
        let store = store()
        let refused = try await F.push(store, "/metrics/job/t4", "foo{__bar=\"x\"} 1\n")
        #expect(refused?.message.contains("has a label with an invalid name: __bar") == true)
    }

    @Test func pushTimeFamiliesInTheBody() async throws {
        let store = store()
        #expect(try await F.push(store, "/metrics/job/other", "o 1\n") == nil)
        #expect(try await F.push(store, "/metrics/job/g", "push_time_seconds 1\n") == nil, "replaced by the real push time")
        #expect(try await F.push(store, "/metrics/job/g", "push_failure_time_seconds{foo=\"bar\"} 1\n", replace: false)?.isRejectedPush == true)
        #expect(try await F.push(store, "/metrics/job/g", "# TYPE push_failure_time_seconds gauge\npush_failure_time_seconds{foo=\"bar\"} 1\n", replace: false) == nil)
        let text = String(decoding: await store.exposition().text, as: UTF8.self)
        #expect(text.contains("push_failure_time_seconds{foo=\"bar\",instance=\"\",job=\"g\"} 1\n"), "\(text)")
        #expect(text.contains("push_time_seconds{instance=\"\",job=\"g\"} 1003\n"), "\(text)")
        #expect(text.contains("push_failure_time_seconds{instance=\"\",job=\"other\"} 0\n"), "\(text)")
    }

    @Test func deleteRemovesTheGroupAndMissingGroupsAreFine() async throws {
        let store = store()
        #expect(try await F.push(store, "/metrics/job/a/instance/1", "x 1\n") == nil)
        #expect(try await F.push(store, "/metrics/job/a/instance/2", "x 2\n") == nil)
        try await store.delete(F.key("/metrics/job/a/instance/1"))
        try await store.delete(F.key("/metrics/job/nonexistent"))
        #expect(await F.text(store) == "# TYPE x untyped\nx{instance=\"2\",job=\"a\"} 2\n")
        try await store.wipe()
        #expect(await store.snapshot.isEmpty)
    }

    @Test func metricsSortAsClientGolangSortsThem() async throws {
        let store = store()
        #expect(try await F.push(store, "/metrics/job/b", "m{z=\"1\"} 1\nm 2\n") == nil)
        #expect(try await F.push(store, "/metrics/job/a", "m{z=\"2\"} 3\n") == nil)
        #expect(await F.text(store) == """
            # TYPE m untyped
            m{instance="",job="b"} 2
            m{instance="",job="a",z="2"} 3
            m{instance="",job="b",z="1"} 1

            """)
    }

    @Test func samplesAreWhatAScrapeWithHonorLabelsStores() async throws {
        let store = store()
        #expect(try await F.push(store, "/metrics/job/j", "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_count 2\nx{a=\"\"} 1\nx 2\n") == nil)
        let samples = await store.exposition().samples
        func value(_ labels: Labels) -> Double? { samples.first { $0.labels == labels }?.value }
        #expect(value(["__name__": "s", "job": "j", "quantile": "0.5"]) == 1)
        #expect(value(["__name__": "s_count", "job": "j"]) == 2)
        #expect(value(["__name__": "s_sum", "job": "j"]) == 0)
        #expect(value(["__name__": "push_time_seconds", "job": "j"]) == 1000)
        #expect(samples.filter { $0.labels.name == "x" }.count == 1, "x{a=\"\"} and x are one series once empty labels go")
    }
}
