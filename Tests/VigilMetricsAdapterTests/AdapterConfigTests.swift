import Testing
import VigilConfig
import VigilMetricsAdapter

/// prometheus-adapter's config file: the documented examples load, and mistakes name their place.
struct AdapterConfigTests {
    @Test func walkthroughConfigLoads() throws {
        let config = try AdapterConfig.parse(yaml: WalkthroughConfig.yaml, fileName: "adapter.yaml")
        #expect(config.rules.count == 2)
        #expect(config.rules[0].seriesQuery == #"http_requests_total{kubernetes_namespace!="",kubernetes_pod_name!=""}"#)
        #expect(config.rules[0].resources.overrides["kubernetes_pod_name"] == GroupResourceName(resource: "pod"))
        #expect(config.rules[0].name == NameMapping(matches: "^(.*)_total", as: "${1}_per_second"))
        #expect(config.rules[1].seriesFilters == [RegexFilter(isNot: "^container_.*_seconds_total$")])
        #expect(config.rules[1].resources.template == "<<.Resource>>")
        #expect(config.externalRules.count == 1)
        #expect(config.externalRules[0].metricsQuery == "sum(<<.Series>>{<<.LabelMatchers>>}) by (queue)")
        #expect(config.resourceRules?.window == .minutes(3))
        #expect(config.resourceRules?.cpu.containerLabel == "container")
        #expect(config.resourceRules?.memory.resources.overrides["node"] == GroupResourceName(resource: "node"))
    }

    @Test func emptyFileHasNoRules() throws {
        let config = try AdapterConfig.parse(yaml: "", fileName: "a.yaml")
        #expect(config == AdapterConfig())
    }

    private func failure(_ yaml: String) -> ConfigError? {
        do {
            _ = try AdapterConfig.parse(yaml: yaml, fileName: "adapter.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownFieldIsPositioned() throws {
        let error = try #require(failure("rules:\n- seriesQuery: up\n  metricQuery: up\n"))
        #expect(error.kind == .unknownField)
        #expect(error.file == "adapter.yaml")
        #expect(error.line == 3)
        #expect(error.column == 3)
    }

    @Test func bothIsAndIsNotAreRefused() throws {
        let error = try #require(failure("rules:\n- seriesQuery: up\n  seriesFilters:\n  - is: a\n    isNot: b\n"))
        #expect(error.line == 4)
        #expect(error.message == "cannot have both an `is` (\"a\") and `isNot` (\"b\") expression in a single filter")
        let neither = try #require(failure("rules:\n- seriesQuery: up\n  seriesFilters:\n  - {}\n"))
        #expect(neither.message == "must have either an `is` or `isNot` expression in a filter")
    }

    @Test func badRegexIsPositioned() throws {
        let error = try #require(failure("rules:\n- seriesQuery: up\n  name:\n    matches: \"(a\"\n"))
        #expect(error.line == 4)
        #expect(error.column == 14)
        #expect(error.fieldPath == "rules[0].name.matches")
        #expect(error.message.hasPrefix("unable to compile series name match expression \"(a\""))
    }

    @Test func twoGroupsNeedAs() throws {
        let error = try #require(failure("rules:\n- seriesQuery: up\n  name: {matches: \"^(a)_(b)$\"}\n"))
        #expect(error.line == 3)
        #expect(
            error.message
                == "must specify an 'as' value for name matcher \"^(a)_(b)$\" associated with series query \"up\"")
    }

    @Test func badTemplateIsPositioned() throws {
        let error = try #require(failure("rules:\n- seriesQuery: up\n  metricsQuery: sum(<<.Series>>{<<.LabelMatchers}) \n"))
        #expect(error.line == 3)
        #expect(error.column == 17)
        #expect(error.message.hasPrefix("unable to construct metrics query associated with series query \"up\": template: metrics-query:1:"))
        let resource = try #require(failure("rules:\n- seriesQuery: up\n  resources: {template: \"kube_<<.Group>>\"}\n"))
        #expect(resource.fieldPath == "rules[0].resources.template")
        #expect(resource.message.contains("must include at least `{{.Resource}}` in the label template"))
    }

    @Test func unknownOverrideResourceIsPositioned() throws {
        let error = try #require(failure("rules:\n- seriesQuery: up\n  resources:\n    overrides:\n      svc: {resource: servise}\n"))
        #expect(error.line == 5)
        #expect(error.message == "unable to normalize group-resource { servise}: no matches for servise")
        let custom = KubernetesResourceTable.standard.adding(
            .init(group: "example.com", version: "v1", plural: "widgets", singular: "widget", kind: "Widget"))
        let config = try AdapterConfig.parse(
            yaml: "rules:\n- seriesQuery: up\n  resources:\n    overrides:\n      w: {group: example.com, resource: widget}\n",
            fileName: "a.yaml", resources: custom)
        #expect(config.rules[0].resources.overrides["w"] == GroupResourceName(group: "example.com", resource: "widget"))
    }

    @Test func badSeriesQueryAndWrongTypes() throws {
        let query = try #require(failure("rules:\n- seriesQuery: 'up{'\n"))
        #expect(query.line == 2)
        #expect(query.fieldPath == "rules[0].seriesQuery")
        let type = try #require(failure("rules:\n- seriesQuery: up\n  resources: {namespaced: maybe}\n"))
        #expect(type.kind == .typeMismatch)
        #expect(type.line == 3)
        let window = try #require(failure("resourceRules:\n  window: 3 minutes\n"))
        #expect(window.line == 2)
    }
}
