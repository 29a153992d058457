import Testing
import VigilModel

@Suite("Model basics")
struct ModelBasicsTests {
    @Test func metricTypeSpellings() {
        #expect(MetricType(openMetricsName: "gaugehistogram") == .gaugehistogram)
        #expect(MetricType(openMetricsName: "untyped") == nil)
        #expect(MetricType(textName: "untyped") == .unknown)
        #expect(MetricType(textName: "unknown") == nil)
        #expect(MetricType.unknown.textName == "untyped")
        #expect(MetricType.unknown.openMetricsName == "unknown")
        #expect(MetricType.info.textName == "gauge")
        #expect(MetricType.allCases.count == 8)
    }

    @Test func staleNaN() {
        #expect(StaleNaN.value.isNaN)
        #expect(StaleNaN.value.bitPattern == 0x7ff0_0000_0000_0002)
        #expect(isStaleNaN(StaleNaN.value))
        #expect(!isStaleNaN(.nan))
        #expect(!isStaleNaN(1))
    }

    @Test func timestampHelpers() {
        let now = Timestamps.now()
        #expect(now > 1_700_000_000_000) // after November 2023
        #expect(Timestamps.timestamp(seconds: 1.5) == 1500)
        #expect(Timestamps.timestamp(seconds: -1.5) == -1500)
        #expect(Timestamps.timestamp(seconds: .nan) == nil)
        #expect(Timestamps.timestamp(seconds: 1e300) == nil)
        #expect(Timestamps.seconds(2500) == 2.5)
    }

    @Test(arguments: [
        (1.0, "1"), (0.5, "0.5"), (1e6, "1e+06"), (123456, "123456"), (1234567, "1.234567e+06"), (0.0001, "0.0001"),
        (0.00001, "1e-05"), (1.5e-7, "1.5e-07"), (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (0.30000000000000004, "0.30000000000000004"), (-2.5, "-2.5"), (100, "100"), (1e21, "1e+21"), (12345.678, "12345.678"),
        (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (0, "0"), (-0.0, "-0"), (1e100, "1e+100"), (0.1, "0.1"),
        (999999, "999999"), (1.0e-4, "0.0001"), (2.5e-5, "2.5e-05"), (9007199254740993, "9.007199254740992e+15"),
    ] as [(Double, String)])
    func goFloatFormatting(value: Double, expected: String) {
        #expect(GoFloat.format(value) == expected)
    }

    @Test func goFloatRoundTrips() {
        var state: UInt64 = 12345
        for _ in 0..<10_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = Double(bitPattern: state)
            guard value.isFinite else { continue }
            let text = GoFloat.format(value)
            #expect(Double(text)?.bitPattern == value.bitPattern, "\(value) → \(text)")
        }
    }
}
