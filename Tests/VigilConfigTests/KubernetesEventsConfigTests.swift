import Testing
import VigilConfig

@Suite struct KubernetesEventsConfigTests {
    @Test func absentMeansNoWatcherAndKeysDecode() throws {
        #expect(try PrometheusConfig.parse(yaml: "").kubernetesEvents == nil)
        let config = try PrometheusConfig.parse(yaml: """
            kubernetes_events:
              api_server: https://10.0.0.1:6443
              namespace: shop
              filter:
                level: Warning
                exclude_reasons: [Pulled]
                message: 'OOM|Back-off'
              sinks:
                - stdout
                - dingtalk:https://oapi.dingtalk.com/robot/send?access_token=t&level=Warning
              store: {retention: 7d}
              dedup_capacity: 5000
              queue_capacity: 300
            """)
        let events = try #require(config.kubernetesEvents)
        #expect(events.api.apiServer == "https://10.0.0.1:6443")
        #expect(events.namespace == "shop")
        #expect(events.filter.level == "Warning" && events.filter.excludeReasons == ["Pulled"])
        #expect(events.filter.message == "OOM|Back-off")
        #expect(events.sinks.count == 2)
        #expect(events.dedupCapacity == 5000 && events.queueCapacity == 300)
        #expect(events.store.enabled && events.store.retention == .hours(168))
        let defaults = try #require(try PrometheusConfig.parse(yaml: "kubernetes_events: {}").kubernetesEvents)
        #expect(defaults == KubernetesEventsConfig())
    }

    @Test func badValuesNameTheirPlace() {
        #expect {
            try PrometheusConfig.parse(yaml: "kubernetes_events:\n  filter: {level: Error}\n")
        } throws: { "\($0)".contains("level must be Normal or Warning") && "\($0)".contains("2:") }
        #expect {
            try PrometheusConfig.parse(yaml: "kubernetes_events:\n  api_server: http://a\n  kubeconfig_file: k\n")
        } throws: { "\($0)".contains("mutually exclusive") }
        #expect {
            try PrometheusConfig.parse(yaml: "kubernetes_events:\n  dedup_capacity: 0\n")
        } throws: { "\($0)".contains("dedup_capacity must be at least 1") }
        #expect {
            try PrometheusConfig.parse(yaml: "kubernetes_events:\n  store: {retention: 1h}\n")
        } throws: { "\($0)".contains("at least 1d") }
        #expect {
            try PrometheusConfig.parse(yaml: "kubernetes_events:\n  sinkz: []\n")
        } throws: { "\($0)".contains("sinkz") }
    }
}
