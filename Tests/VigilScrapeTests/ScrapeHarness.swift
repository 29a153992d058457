import Foundation
import Logging
import VigilConfig
import VigilModel
@testable import VigilScrape
import VigilTSDB
import VigilHTTPClient

/// One target's scrape loop driven step by step against a fresh TSDB.
final class ScrapeHarness {
    let tsdb: TSDB
    let loop: ScrapeLoop
    let client: ConfiguredHTTPClient

    /// `yaml` is one scrape_config (without the leading `- `), scraping `address`.
    init(directory: String, scrapeConfig yaml: String, address: String) throws {
        let config = try PrometheusConfig.parse(yaml: "scrape_configs:\n" + Self.indent(yaml))
        let scrape = config.scrapeConfigs[0]
        tsdb = try TSDB.open(directory: directory)
        client = try ConfiguredHTTPClient(config: scrape.httpClient)
        let discovered: Labels = ["__address__": address]
        guard case .active(let target) = ScrapeTarget.populate(discovered, config: scrape, relabeler: Relabeler(scrape.relabelConfigs)) else {
            throw HarnessFailure(description: "target not active")
        }
        var logger = Logger(label: "scrape-test")
        logger.logLevel = .critical
        loop = ScrapeLoop(target: target, settings: ScrapeSettings(scrape), client: client, tsdb: tsdb, logger: logger)
    }

    static func indent(_ yaml: String) -> String {
        yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            (index == 0 ? "  - " : "    ") + line
        }.joined(separator: "\n")
    }

    /// Scrapes once; waits a few ms first so consecutive scrapes get distinct timestamps.
    func scrape() async {
        try? await Task.sleep(for: .milliseconds(3))
        await loop.scrapeOnce()
    }

    /// Every stored series selected by `selector`'s name matcher and its samples.
    func series(named name: String) throws -> [Labels: [(timestamp: Int64, value: Double)]] {
        try tsdb.series(["__name__": name])
    }

    /// The last value of the one series named `name`.
    func last(_ name: String) throws -> Double? {
        try series(named: name).values.first?.last?.value
    }

    func close() async {
        await client.shutdown()
        try? tsdb.close()
    }

    struct HarnessFailure: Error, CustomStringConvertible {
        let description: String
    }
}

extension TSDB {
    /// Every stored series whose labels include all of `labels`, with all its samples.
    func series(_ labels: Labels) throws -> [Labels: [(timestamp: Int64, value: Double)]] {
        let matchers = try labels.map { try LabelMatcher(.equal, $0.name, $0.value) }
        var result: [Labels: [(timestamp: Int64, value: Double)]] = [:]
        for series in try querier().select(matchers, mint: .min, maxt: .max) {
            result[series.labels] = series.samples()
        }
        return result
    }
}
