import Testing
import VigilConfig

@Suite struct KubernetesMetricsAPIConfigTests {
    @Test func absentMeansNothingServedAndKeysDecode() throws {
        #expect(try PrometheusConfig.parse(yaml: "").kubernetesMetricsAPI == nil)
        let config = try PrometheusConfig.parse(yaml: """
            kubernetes_metrics_api:
              listen_address: 127.0.0.1:6443
              tls_cert_file: /tls/tls.crt
              tls_key_file: /tls/tls.key
              requestheader_client_ca_file: /front-proxy/ca.crt
              requestheader_allowed_names: [front-proxy-client, aggregator]
              requestheader_username_headers: [X-Remote-User, X-Forwarded-User]
              metric_resolution: 45s
              source: cadvisor
            """)
        let api = try #require(config.kubernetesMetricsAPI)
        #expect(api.listenAddress == "127.0.0.1:6443")
        #expect(api.tlsCertFile == "/tls/tls.crt" && api.tlsKeyFile == "/tls/tls.key")
        #expect(api.requestheaderClientCAFile == "/front-proxy/ca.crt")
        #expect(api.requestheaderAllowedNames == ["front-proxy-client", "aggregator"])
        #expect(api.requestheaderUsernameHeaders == ["X-Remote-User", "X-Forwarded-User"])
        #expect(api.requestheaderGroupHeaders == ["X-Remote-Group"])
        #expect(api.lookback.milliseconds == 45_000 && api.source == .cadvisor)
        let defaults = try #require(try PrometheusConfig.parse(yaml: "kubernetes_metrics_api: {}").kubernetesMetricsAPI)
        #expect(defaults == KubernetesMetricsAPIConfig())
    }

    @Test func badValuesNameTheirPlace() {
        #expect {
            try PrometheusConfig.parse(yaml: "kubernetes_metrics_api:\n  tls_cert_file: a.crt\n")
        } throws: { "\($0)".contains("must be given together") && "\($0)".contains("2:") }
        #expect {
            try PrometheusConfig.parse(yaml: "kubernetes_metrics_api:\n  listen_address: nowhere\n")
        } throws: { "\($0)".contains("listen_address must be host:port") }
        #expect {
            try PrometheusConfig.parse(yaml: "kubernetes_metrics_api:\n  source: heapster\n")
        } throws: { "\($0)".contains("source") }
        #expect {
            try PrometheusConfig.parse(yaml: "kubernetes_metrics_api:\n  requestheader_username_headers: []\n")
        } throws: { "\($0)".contains("requestheader_username_headers") }
    }
}
