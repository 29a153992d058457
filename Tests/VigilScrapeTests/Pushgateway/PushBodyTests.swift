import Testing
import VigilModel
@testable import VigilScrape

/// Push bodies put together as Go's `expfmt.TextParser` does (what the Pushgateway uses).
@Suite struct DecodingPushBodies {
    func decode(_ text: String) throws -> PushBody {
        try PushBody.decode(Array(text.utf8))
    }

    func family(_ body: PushBody, _ name: String) -> PushedFamily? {
        body.families.first { $0.name == name }
    }

    @Test func simpleFamiliesKeepEmptyLabelsAndOrder() throws {
        let body = try decode("""
            # HELP foo A foo
            # TYPE foo counter
            foo{a="",b="x"} 1
            foo{b="y"} 2.5
            bar 3

            """)
        #expect(body.families.map(\.name) == ["foo", "bar"])
        let foo = try #require(family(body, "foo"))
        #expect(foo.help == "A foo")
        #expect(foo.type == .counter)
        #expect(foo.metrics == [
            PushedMetric(labels: [Label(name: "a", value: ""), Label(name: "b", value: "x")], value: .counter(1)),
            PushedMetric(labels: [Label(name: "b", value: "y")], value: .counter(2.5)),
        ])
        #expect(family(body, "bar")?.type == .unknown)
        #expect(family(body, "bar")?.help == nil)
        #expect(!body.hasTimestamps)
    }

    @Test func familiesWithoutSamplesAreDroppedAndEmptyHelpIgnored() throws {
        let body = try decode("# TYPE only gauge\n# HELP only x\n# HELP g \ng 1\n")
        #expect(body.families.map(\.name) == ["g"])
        #expect(family(body, "g")?.help == nil)
        #expect(try decode("").families.isEmpty)
        #expect(try decode("# just a comment\n\n").families.isEmpty)
    }

    @Test func aFamilyCollectsItsSamplesWherever() throws {
        let body = try decode("a 1\nb 2\na{x=\"1\"} 3\n")
        #expect(family(body, "a")?.metrics.count == 2)
    }

    @Test func summariesGroupLinesByLabels() throws {
        let body = try decode("""
            # TYPE s summary
            s_count{quantile="0.5"} 3
            s{quantile="0.9",a="b"} 7
            s{quantile="0.1",a="b"} 1
            s_sum{a="b"} 1e6
            # TYPE s2 summary
            s2 5
            s2_bucket 1

            """)
        let s = try #require(family(body, "s"))
        #expect(s.metrics == [
            PushedMetric(labels: [], value: .summary(.init(count: 3))),
            PushedMetric(labels: [Label(name: "a", value: "b")], value: .summary(.init(
                count: 0, sum: 1e6, quantiles: [.init(quantile: 0.9, value: 7), .init(quantile: 0.1, value: 1)]
            ))),
        ])
        #expect(family(body, "s2")?.metrics == [PushedMetric(labels: [], value: .summary(.init()))])
        #expect(family(body, "s2_bucket")?.type == .unknown, "a summary has no buckets")
    }

    @Test func histogramsConvertCountsAsGoDoes() throws {
        let body = try decode("""
            # TYPE h histogram
            h_bucket{le="1"} -1
            h_bucket{le="2"} NaN
            h_bucket{le="3"} 2.7
            h_bucket{le="4"} 1e30
            h_count -2.5
            h_sum NaN
            h_bucket 9

            """)
        let h = try #require(family(body, "h"))
        guard case .histogram(let histogram) = try #require(h.metrics.first).value else {
            Issue.record("not a histogram")
            return
        }
        #expect(h.metrics.count == 1, "a bucket without le adds nothing")
        #expect(histogram.buckets.map(\.cumulativeCount) == [UInt64.max, 1 << 63, 2, 1 << 63])
        #expect(histogram.count == UInt64.max - 1)
        #expect(histogram.sum.isNaN)
    }

    @Test func goUnsignedConversion() {
        #expect(GoNumbers.uint64(0) == 0)
        #expect(GoNumbers.uint64(2.9) == 2)
        #expect(GoNumbers.uint64(-1) == UInt64.max)
        #expect(GoNumbers.uint64(.nan) == 1 << 63)
        #expect(GoNumbers.uint64(.infinity) == 1 << 63)
        #expect(GoNumbers.uint64(-.infinity) == 1 << 63)
        #expect(GoNumbers.uint64(1e19) == 10_000_000_000_000_000_000)
        #expect(GoNumbers.uint64(1e30) == 1 << 63)
        #expect(GoNumbers.parseFloat("0.5") == 0.5)
        #expect(GoNumbers.parseFloat("+Inf") == .infinity)
        #expect(GoNumbers.parseFloat("-infinity") == -.infinity)
        #expect(GoNumbers.parseFloat("NaN")?.isNaN == true)
        for bad in ["", "x", "0x10", "1_0", "0x1p3", "+NaN", "1e400", " 1"] {
            #expect(GoNumbers.parseFloat(bad) == nil, "\(bad)")
        }
    }

    @Test func hashTypeWithoutABlankIsAKeywordAsInGo() throws {
        #expect(family(try decode("#TYPE x counter\nx 1\n"), "x")?.type == .counter)
    }

        @Test func timestampsAreNoted() throws {
        #expect(try decode("x 1 1234\n").hasTimestamps)
    }

    @Test func errorsNameTheLine() {
        let cases: [(String, String)] = [
            ("x{ 1\n", "line 1"),
            ("x 1", "line 1"),
            ("x{a=\"\\q\"} 1\n", "invalid escape sequence"),
            ("# HELP x a\\qb\nx 1\n", "invalid escape sequence"),
            ("# TYPE s summary\ns{quantile=\"abc\"} 1\n", "line 2: expected float as value for 'quantile' label, got \"abc\""),
            ("# TYPE h histogram\nh_bucket{le=\"x\"} 1\n", "expected float as value for 'le' label"),
            ("# TYPE h histogram\n# TYPE h_count counter\n", "line 2: second TYPE line for metric name \"h\""),
            ("# HELP h a\n# TYPE h histogram\n# HELP h_sum b\n", "line 3: second HELP line for metric name \"h\""),
            ("x 1\n# TYPE x gauge\n", "after"),
            ("x{__name__=\"y\"} 1\n", "__name__"),
            ("x{a=\"1\",a=\"2\"} 1\n", "duplicate label"),
            ("x abc\n", "invalid value"),
        ]
        for (text, fragment) in cases {
            do throws(PushgatewayError) {
                _ = try PushBody.decode(Array(text.utf8))
                Issue.record("accepted \(text.debugDescription)")
            } catch {
                #expect(error.httpStatus == 400)
                #expect(error.message.hasPrefix("text format parsing error in line"), "\(error.message)")
                #expect(error.message.contains(fragment), "\(text.debugDescription): \(error.message)")
            }
        }
    }
}
