import Testing
import VigilExposition
import VigilModel

@Suite("Exposition writer")
struct ExpositionWriterTests {
    private func text(_ families: [MetricFamily], _ format: ExpositionFormat) -> String {
        String(decoding: ExpositionWriter(format: format).encode(families), as: UTF8.self)
    }

    @Test func writesTextLikeClientGolang() {
        let families = [
            MetricFamily(name: "http_requests_total", help: "Requests \\ served.\nSecond line \"q\".", type: .counter, samples: [
                .init(name: "http_requests_total", labels: ["code": "200", "path": "a\"b\\c\nd"], value: 1_000_000),
                .init(name: "http_requests_total", labels: ["code": "500"], value: 0.5, timestamp: 1_712_345_678_123),
            ]),
            MetricFamily(name: "temp", type: .unknown, samples: [.init(name: "temp", value: .nan)]),
        ]
        #expect(text(families, .text) == """
        # HELP http_requests_total Requests \\\\ served.\\nSecond line "q".
        # TYPE http_requests_total counter
        http_requests_total{code="200",path="a\\"b\\\\c\\nd"} 1e+06
        http_requests_total{code="500"} 0.5 1712345678123
        # TYPE temp untyped
        temp NaN

        """)
    }

    @Test func writesOpenMetricsLikeClientGolang() {
        let families = [
            MetricFamily(name: "http_requests_total", help: "Say \"hi\".", type: .counter, unit: "", samples: [
                .init(name: "http_requests_total", labels: ["code": "200"], value: 1,
                      exemplar: Exemplar(labels: ["trace_id": "abc"], value: 0.5, timestamp: 1500)),
                .init(name: "http_requests_total", labels: ["code": "500"], value: 2, timestamp: 1_712_345_678_120),
            ]),
            MetricFamily(name: "build_info", type: .info, samples: [.init(name: "build_info", labels: ["v": "1"], value: 1)]),
            MetricFamily(name: "size_bytes", type: .gauge, unit: "bytes", samples: [.init(name: "size_bytes", value: -.infinity, timestamp: -500)]),
        ]
        #expect(text(families, .openMetrics) == """
        # HELP http_requests Say \\"hi\\".
        # TYPE http_requests counter
        http_requests_total{code="200"} 1.0 # {trace_id="abc"} 0.5 1.5
        http_requests_total{code="500"} 2.0 1712345678.12
        # TYPE build info
        build_info{v="1"} 1.0
        # TYPE size_bytes gauge
        # UNIT size_bytes bytes
        size_bytes -Inf -0.5
        # EOF

        """)
    }

    private var roundTripFamilies: [MetricFamily] {
        [
            MetricFamily(name: "a_total", help: "A counter with \\ and \n and \"quotes\".", type: .counter, samples: [
                .init(name: "a_total", labels: ["x": "1"], value: 3),
                .init(name: "a_total", labels: ["x": "2\"\\\n"], value: 1e300, timestamp: 1_712_345_678_123),
            ]),
            MetricFamily(name: "g", type: .gauge, samples: [
                .init(name: "g", value: -0.1), .init(name: "g", labels: ["k": "ü"], value: .infinity),
                .init(name: "g", labels: ["k": "v"], value: .nan), .init(name: "g", labels: ["k": "w"], value: 5e-324),
            ]),
            MetricFamily(name: "h", help: "hist", type: .histogram, samples: [
                .init(name: "h_bucket", labels: ["le": "0.1"], value: 1),
                .init(name: "h_bucket", labels: ["le": "+Inf"], value: 2),
                .init(name: "h_sum", value: 0.30000000000000004),
                .init(name: "h_count", value: 2),
            ]),
            MetricFamily(name: "s", type: .summary, samples: [
                .init(name: "s", labels: ["quantile": "0.5"], value: 1.5),
                .init(name: "s_sum", value: 3), .init(name: "s_count", value: 2),
            ]),
            MetricFamily(name: "u", type: .unknown, samples: [.init(name: "u", value: 123456789)]),
        ]
    }

    @Test func textRoundTrip() throws {
        let families = roundTripFamilies
        let decoded = try ExpositionFormat.text.decodeFamilies(ExpositionWriter(format: .text).encode(families))
        #expect(decoded == families)
    }

    @Test func openMetricsRoundTrip() throws {
        var families = roundTripFamilies
        families[0].samples[0].exemplar = Exemplar(labels: ["trace_id": "t"], value: 2, timestamp: 1_712_345_678_001)
        families[2].samples[0].exemplar = Exemplar(labels: [:], value: 0.05)
        families[1].unit = ""
        families.append(MetricFamily(name: "lat_seconds", help: "x", type: .gauge, unit: "seconds",
                                     samples: [.init(name: "lat_seconds", value: 1)]))
        families.append(MetricFamily(name: "build_info", type: .info, samples: [.init(name: "build_info", labels: ["v": "1"], value: 1)]))
        families.append(MetricFamily(name: "q", type: .gaugehistogram, samples: [
            .init(name: "q_bucket", labels: ["le": "+Inf"], value: 1), .init(name: "q_gcount", value: 1), .init(name: "q_gsum", value: 1),
        ]))
        let bytes = ExpositionWriter(format: .openMetrics).encode(families)
        let decoded = try ExpositionFormat.openMetrics.decodeFamilies(bytes)
        #expect(decoded == families)
    }

    @Test func registryOutputParsesInBothFormats() throws {
        let registry = MetricsRegistry()
        try registry.counter(name: "vigil_scrapes_total", help: "Scrapes.", labels: ["job": "node"]).increment(by: 3)
        try registry.histogram(name: "vigil_scrape_seconds", help: "Scrape latency.", buckets: [0.1, 1]).observe(0.5)
        let families = registry.collect()
        for format in [ExpositionFormat.text, .openMetrics] {
            let bytes = ExpositionWriter.write(families, format: format)
            #expect(bytes == ExpositionWriter(format: format).encode(families))
            let decoded = try format.decodeFamilies(bytes)
            #expect(decoded == families)
        }
    }
}
