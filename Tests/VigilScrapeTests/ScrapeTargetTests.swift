import Testing
import VigilConfig
import VigilDiscovery
import VigilModel
@testable import VigilScrape

/// Target labels and URLs as Prometheus 2.x's `PopulateLabels` and `Target.URL` build them.
@Suite struct PopulatingTargets {
    static func config(_ yaml: String = "job_name: node") throws -> ScrapeConfig {
        try PrometheusConfig.parse(yaml: "scrape_configs:\n" + ScrapeHarness.indent(yaml)).scrapeConfigs[0]
    }

    static func populate(_ discovered: Labels, _ yaml: String = "job_name: node") throws -> TargetPopulation {
        let config = try config(yaml)
        return ScrapeTarget.populate(discovered, config: config, relabeler: Relabeler(config.relabelConfigs))
    }

    static func active(_ discovered: Labels, _ yaml: String = "job_name: node") throws -> ScrapeTarget? {
        guard case .active(let target) = try populate(discovered, yaml) else { return nil }
        return target
    }

    @Test func configDefaultsFillTheInternalLabels() throws {
        let target = try #require(try Self.active(["__address__": "host:9100", "__meta_x": "y", "team": "core"]))
        #expect(
            target.labels == [
                "__address__": "host:9100", "__metrics_path__": "/metrics", "__scheme__": "http",
                "__scrape_interval__": "1m", "__scrape_timeout__": "10s", "instance": "host:9100", "job": "node",
                "team": "core",
            ])
        #expect(target.publicLabels == ["instance": "host:9100", "job": "node", "team": "core"])
        #expect(target.url == "http://host:9100/metrics")
        #expect(target.interval == .minutes(1))
        #expect(target.timeout == .seconds(10))
        // The discovered labels keep the meta labels and gain the defaults.
        #expect(target.discoveredLabels["__meta_x"] == "y")
        #expect(target.discoveredLabels["job"] == "node")
        #expect(target.discoveredLabels["instance"] == nil)
    }

    @Test func discoveredValuesWinOverDefaultsUnlessEmpty() throws {
        let discovered: Labels = [
            "__address__": "host", "job": "other", "__scheme__": "https", "__metrics_path__": "/m",
            "__scrape_interval__": "30s", "__scrape_timeout__": "5s", "instance": "named",
        ]
        let target = try #require(try Self.active(discovered))
        #expect(target.labels["job"] == "other")
        #expect(target.labels["instance"] == "named")
        #expect(target.labels["__address__"] == "host:443")
        #expect(target.url == "https://host:443/m")
        #expect(target.interval == .seconds(30))
        #expect(target.timeout == .seconds(5))
    }

    @Test func configParamsOverrideDiscoveredParamLabels() throws {
        let yaml = "job_name: probe\nparams:\n  module: [from_config]\n  extra: [a, b]"
        let discovered: Labels = ["__address__": "h:1", "__param_module": "discovered", "__param_other": "o"]
        let target = try #require(try Self.active(discovered, yaml))
        #expect(target.labels["__param_module"] == "from_config")
        #expect(target.labels["__param_extra"] == "a")
        #expect(target.labels["__param_other"] == "o")
        #expect(target.url == "http://h:1/metrics?extra=a&extra=b&module=from_config&other=o")
        // Relabeling runs after the params are set, so it may still change them.
        let relabeled = yaml + "\nrelabel_configs:\n  - {target_label: __param_module, replacement: relabeled}"
        #expect(try Self.active(discovered, relabeled)?.url == "http://h:1/metrics?extra=a&extra=b&module=relabeled&other=o")
    }

    @Test func queryParametersAreEncodedLikeGo() throws {
        let yaml = "job_name: q\nmetrics_path: probe\nparams:\n  a: ['1', '2']\n  b: ['x:y']\n  c: ['with space/&=']"
        let target = try #require(try Self.active(["__address__": "h:1"], yaml))
        #expect(target.url == "http://h:1/probe?a=1&a=2&b=x%3Ay&c=with+space%2F%26%3D")
    }

    @Test func aMissingPortIsAddedByScheme() throws {
        #expect(try Self.active(["__address__": "host"])?.labels["__address__"] == "host:80")
        #expect(try Self.active(["__address__": "host"])?.labels["instance"] == "host:80")
        #expect(try Self.active(["__address__": "host"], "job_name: s\nscheme: https")?.labels["__address__"] == "host:443")
        #expect(try Self.active(["__address__": "host:9"])?.labels["__address__"] == "host:9")
        #expect(try Self.active(["__address__": "[::1]"])?.labels["__address__"] == "[::1]:80")
        #expect(try Self.active(["__address__": "[::1]:9100"])?.url == "http://[::1]:9100/metrics")
        // Go's SplitHostPort fails with and without a port here, so none is added.
        #expect(try Self.active(["__address__": "::1"])?.labels["__address__"] == "::1")
        #expect(try Self.populate(["__address__": "host", "__scheme__": "ftp"]) == .invalid("invalid scheme: \"http\""))
    }

    @Test func unusableLabelsMakeTheTargetInvalid() throws {
        #expect(try Self.populate(["__address__": "host/path"]) == .invalid("\"host/path:80\" is not a valid hostname"))
        #expect(try Self.populate(["__address__": "http://host:80"]) == .invalid("\"http://host:80\" is not a valid hostname"))
        #expect(try Self.populate(["__address__": "h:1", "__scrape_timeout__": "2m"])
            == .invalid("scrape timeout cannot be greater than scrape interval (\"2m\" > \"1m\")"))
        #expect(try Self.populate(["__address__": "h:1", "__scrape_interval__": "0s"]) == .invalid("scrape interval cannot be 0"))
        #expect(try Self.populate(["__address__": "h:1", "__scrape_timeout__": "0s"]) == .invalid("scrape timeout cannot be 0"))
        #expect(try Self.populate(["__address__": "h:1", "__scrape_interval__": "soon"])
            == .invalid("error parsing scrape interval: not a valid duration string: \"soon\""))
        let dropAddress = "job_name: n\nrelabel_configs:\n  - {regex: __address__, action: labeldrop}"
        #expect(try Self.populate(["__address__": "h:1"], dropAddress) == .invalid("no address"))
    }

    @Test func droppedTargetsKeepTheirDiscoveredLabels() throws {
        let yaml = "job_name: n\nrelabel_configs:\n  - {source_labels: [__meta_keep], regex: 'no', action: drop}"
        let population = try Self.populate(["__address__": "h:1", "__meta_keep": "no"], yaml)
        #expect(
            population
                == .dropped([
                    "__address__": "h:1", "__meta_keep": "no", "__metrics_path__": "/metrics", "__scheme__": "http",
                    "__scrape_interval__": "1m", "__scrape_timeout__": "10s", "job": "n",
                ]))
        let kept = try #require(try Self.active(["__address__": "h:1", "__meta_keep": "yes"], yaml))
        #expect(kept.labels["__meta_keep"] == nil)
    }

    @Test func groupLabelsApplyUnlessTheTargetSetsThem() throws {
        let config = try Self.config()
        let group = TargetGroup(
            targets: [["__address__": "a:1"], ["__address__": "b:1", "env": "own"]], labels: ["env": "shared", "dc": "x"],
            source: "0")
        let targets = ScrapeTarget.targets(from: group, config: config, relabeler: Relabeler(config.relabelConfigs))
        let labels = targets.compactMap { population -> Labels? in
            guard case .active(let target) = population else { return nil }
            return target.publicLabels
        }
        #expect(
            labels == [
                ["dc": "x", "env": "shared", "instance": "a:1", "job": "node"],
                ["dc": "x", "env": "own", "instance": "b:1", "job": "node"],
            ])
    }
}
