import Testing
import VigilConfig

struct PrometheusConfigTests {
    @Test func kubernetesConfigLoadsUnchanged() throws {
        let config = try PrometheusConfig.load(path: Fixtures.path("kubernetes.yml"))
        let directory = Fixtures.directory

        #expect(config.source == (try Fixtures.text("kubernetes.yml")))
        #expect(config.global.scrapeInterval == .seconds(30))
        #expect(config.global.scrapeTimeout == .seconds(10))
        #expect(config.global.evaluationInterval == .seconds(30))
        #expect(config.global.externalLabels == ["cluster": "prod-eu-1", "replica": "prometheus-0"])
        #expect(config.ruleFiles == ["/etc/prometheus/rules/*.yml", directory + "/alerts.yaml"])

        #expect(config.scrapeConfigs.map(\.jobName) == [
            "kubernetes-apiservers", "kubernetes-nodes", "kubernetes-nodes-cadvisor",
            "kubernetes-service-endpoints", "kubernetes-pods",
        ])
        let apiservers = config.scrapeConfigs[0]
        #expect(apiservers.scheme == "https")
        #expect(apiservers.serviceDiscovery.kubernetesSDConfigs.map(\.role) == [.endpoints])
        #expect(apiservers.httpClient.authorization?.type == "Bearer")
        #expect(apiservers.httpClient.authorization?.credentialsFile == "/var/run/secrets/kubernetes.io/serviceaccount/token")
        #expect(apiservers.httpClient.tlsConfig.caFile == "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt")
        #expect(apiservers.relabelConfigs[0].action == .keep)
        #expect(apiservers.relabelConfigs[0].regex.matches("default;kubernetes;https"))

        let cadvisor = config.scrapeConfigs[2]
        #expect(cadvisor.scrapeInterval == .seconds(15))
        #expect(cadvisor.scrapeTimeout == .seconds(10))
        #expect(cadvisor.httpClient.tlsConfig.insecureSkipVerify, "the aliased tls_config")
        #expect(cadvisor.relabelConfigs[2].replacement == "/api/v1/nodes/$1/proxy/metrics/cadvisor")
        #expect(cadvisor.metricRelabelConfigs[0].action == .drop)

        let endpoints = config.scrapeConfigs[3]
        #expect(endpoints.honorLabels)
        #expect(endpoints.serviceDiscovery.kubernetesSDConfigs[0].attachMetadata.node)
        let address = endpoints.relabelConfigs[3]
        #expect(address.sourceLabels == ["__address__", "__meta_kubernetes_service_annotation_prometheus_io_port"])
        #expect(address.regex.pattern == #"([^:]+)(?::\d+)?;(\d+)"#)
        #expect(address.regex.matches("10.0.0.1:8080;9102"))
        #expect(address.replacement == "$1:$2")
        #expect(address.targetLabel == "__address__")
        #expect(endpoints.relabelConfigs[4].replacement == "__param_$1")

        let pods = config.scrapeConfigs[4]
        #expect(pods.serviceDiscovery.kubernetesSDConfigs[0].selectors[0].field == "spec.nodeName=worker-1")
        #expect(pods.relabelConfigs.last?.action == .lowercase)
        #expect(pods.metricRelabelConfigs[0].action == .labeldrop)

        // Defaults every job inherits.
        for job in config.scrapeConfigs {
            #expect(job.honorTimestamps)
            #expect(job.enableCompression)
            #expect(job.httpClient.followRedirects)
            #expect(job.httpClient.enableHTTP2)
            #expect(job.scrapeProtocols == ScrapeProtocol.defaults)
        }
        #expect(config.scrapeConfigs[0].metricsPath == "/metrics")
        #expect(config.scrapeConfigs[0].scrapeInterval == .seconds(30))

        let alertmanager = try #require(config.alerting.alertmanagers.first)
        #expect(alertmanager.apiVersion == .v2)
        #expect(alertmanager.timeout == .seconds(10))
        #expect(alertmanager.scheme == "http")
        #expect(alertmanager.serviceDiscovery.kubernetesSDConfigs[0].namespaces.names == ["monitoring"])
        #expect(config.alerting.alertRelabelConfigs[0].action == .labeldrop)

        let remote = try #require(config.remoteWrite.first)
        #expect(remote.url.string == "https://mimir.example.com/api/v1/push")
        #expect(remote.headers == ["X-Scope-OrgID": "prod"])
        #expect(remote.httpClient.basicAuth?.passwordFile == directory + "/secrets/mimir-password")
        #expect(remote.remoteTimeout == .seconds(30))
        #expect(remote.queueConfig.maxShards == 30)
        #expect(remote.queueConfig.maxSamplesPerSend == 5000)
        #expect(remote.queueConfig.retryOnRateLimit)
        #expect(remote.queueConfig.capacity == 10000)
        #expect(remote.queueConfig.minShards == 1)
        #expect(remote.queueConfig.batchSendDeadline == .seconds(5))
        #expect(remote.queueConfig.minBackoff == PromDuration(milliseconds: 30))
        #expect(remote.queueConfig.maxBackoff == .seconds(5))
        #expect(remote.metadataConfig.send)
        #expect(remote.metadataConfig.sendInterval == .minutes(2))
        #expect(remote.metadataConfig.maxSamplesPerSend == 2000)

        #expect(config.storage.tsdb.outOfOrderTimeWindow == .minutes(10))
        #expect(config.storage.exemplars.maxExemplars == 100_000)
        #expect(config.tracing == nil)
    }

    @Test func fullConfigLoadsEverySection() throws {
        let config = try PrometheusConfig.load(path: Fixtures.path("full.yml"))
        let directory = Fixtures.directory
        let global = config.global
        #expect(global.scrapeInterval == .seconds(15))
        #expect(global.scrapeTimeout == .seconds(5))
        #expect(global.evaluationInterval == .seconds(30))
        #expect(global.ruleQueryOffset == .minutes(1))
        #expect(global.queryLogFile == directory + "/logs/queries.log")
        #expect(global.bodySizeLimit == ByteSize(bytes: 15 << 20))
        #expect(global.sampleLimit == 1500)
        #expect(global.labelLimit == 30)
        #expect(global.labelNameLengthLimit == 200)
        #expect(global.labelValueLengthLimit == 200)
        #expect(global.targetLimit == 100)
        #expect(global.keepDroppedTargets == 10)
        #expect(global.scrapeProtocols == [.prometheusProto, .openMetricsText1_0_0, .prometheusText0_0_4])
        #expect(global.externalLabels == ["monitor": "codelab", "foo": "bar"])
        #expect(config.runtime.gogc == 42)
        #expect(config.ruleFiles == [directory + "/first.rules", directory + "/my/*.rules"])
        #expect(config.scrapeConfigFiles == [directory + "/scrape_configs/*.yml"])

        let jobs = Dictionary(uniqueKeysWithValues: config.scrapeConfigs.map { ($0.jobName, $0) })
        let prometheus = try #require(jobs["prometheus"])
        #expect(prometheus.honorLabels)
        #expect(!prometheus.honorTimestamps)
        #expect(prometheus.trackTimestampsStaleness)
        #expect(prometheus.scrapeInterval.description == "1m30s")
        #expect(prometheus.scrapeTimeout == .seconds(5))
        #expect(prometheus.params["match[]"] == [#"{job="node"}"#, #"{__name__=~"job:.*"}"#])
        #expect(prometheus.sampleLimit == 1500, "inherited from global")
        #expect(prometheus.bodySizeLimit == ByteSize(bytes: 15 << 20))
        let fileSD = prometheus.serviceDiscovery.fileSDConfigs
        #expect(fileSD[0].files == ["foo/*.slow.json", "foo/*.slow.yml", "single/file.yml"].map { directory + "/" + $0 })
        #expect(fileSD[0].refreshInterval == .minutes(10))
        #expect(fileSD[1].refreshInterval == .minutes(5))
        #expect(prometheus.serviceDiscovery.staticConfigs[0].labels == ["my": "label", "your": "label"])
        #expect(prometheus.relabelConfigs[0].replacement == "foo-${1}")
        #expect(prometheus.relabelConfigs[1].regex == .matchAll)
        #expect(prometheus.relabelConfigs[1].separator == ";")
        #expect(prometheus.relabelConfigs[1].replacement == "$1")
        #expect(prometheus.relabelConfigs[3].regex == .matchAll, "a null regex is the default")
        #expect(prometheus.relabelConfigs[4].action == .keepEqual)
        #expect(prometheus.relabelConfigs[5].action == .dropEqual)
        #expect(prometheus.httpClient.authorization?.credentialsFile == directory + "/valid_token_file")
        #expect(prometheus.httpClient.tlsConfig.minVersion == .tls10)

        let serviceX = try #require(jobs["service-x"])
        #expect(!serviceX.httpClient.followRedirects)
        #expect(!serviceX.httpClient.enableHTTP2)
        #expect(serviceX.httpClient.basicAuth?.password?.value == "multiline\nmysecret\ntest")
        #expect(serviceX.scrapeProtocols == [.openMetricsText1_0_0])
        #expect(serviceX.scrapeClassicHistograms)
        #expect(!serviceX.enableCompression)
        #expect(serviceX.bodySizeLimit == ByteSize(bytes: 10 << 20))
        #expect(serviceX.nativeHistogramBucketLimit == 160)
        #expect(serviceX.nativeHistogramMinBucketFactor == 1.1)
        #expect(serviceX.serviceDiscovery.dnsSDConfigs[0].type == .srv)
        #expect(serviceX.serviceDiscovery.dnsSDConfigs[1].refreshInterval == .seconds(30))
        #expect(serviceX.relabelConfigs[1].modulus == 8)
        #expect(serviceX.relabelConfigs[1].action == .hashmod)

        let serviceY = try #require(jobs["service-y"])
        #expect(serviceY.serviceDiscovery.dnsSDConfigs.map(\.type) == [.mx, .a])
        #expect(serviceY.serviceDiscovery.dnsSDConfigs.map(\.port) == [25, 53])

        let serviceZ = try #require(jobs["service-z"])
        #expect(serviceZ.httpClient.tlsConfig.minVersion == .tls10, "merged from the anchor")
        #expect(serviceZ.httpClient.tlsConfig.maxVersion == .tls12, "explicit key wins over merged")
        #expect(serviceZ.httpClient.tlsConfig.certFile == directory + "/valid_cert_file")
        #expect(serviceZ.httpClient.authorization?.credentials?.value == "mysecret")
        #expect(serviceZ.httpClient.proxy.proxyURL?.string == "http://proxy.example.com:3128")
        #expect(serviceZ.httpClient.proxy.noProxy == "localhost,10.0.0.0/8")
        #expect(serviceZ.httpClient.proxy.proxyConnectHeader["Proxy-Authorization"]?.first?.value == "Basic dXNlcjpwYXNz")

        let kubernetes = try #require(jobs["service-kubernetes"]).serviceDiscovery.kubernetesSDConfigs
        #expect(kubernetes.map(\.role) == [.endpoints, .endpointSlice, .node, .ingress])
        #expect(kubernetes[0].apiServer?.string == "https://localhost:1234")
        #expect(kubernetes[0].httpClient.basicAuth?.username == "myusername")
        #expect(kubernetes[1].namespaces.names == ["default", "kube-system"])
        #expect(kubernetes[1].selectors.map(\.role) == [.pod, .service])
        #expect(kubernetes[2].kubeconfigFile == directory + "/kube/config")
        #expect(kubernetes[3].namespaces.ownNamespace)

        let httpSD = try #require(jobs["service-http-sd"])
        #expect(httpSD.httpClient.oauth2?.clientID == "123")
        #expect(httpSD.httpClient.oauth2?.clientSecretFile == directory + "/oauth-secret")
        #expect(httpSD.httpClient.oauth2?.endpointParams == ["audience": "vigil"])
        #expect(httpSD.serviceDiscovery.httpSDConfigs[0].refreshInterval == .seconds(60))
        #expect(httpSD.serviceDiscovery.httpSDConfigs[1].httpClient.authorization?.credentials?.value == "top-secret")

        let empty = try #require(jobs["empty-scrape"])
        #expect(empty.scrapeInterval == .seconds(15), "a null interval inherits the global one")

        let headers = try #require(jobs["http-headers"])
        #expect(headers.httpClient.proxy.proxyFromEnvironment)
        #expect(headers.httpClient.httpHeaders["X-Tenant"]?.values == ["a", "b"])
        #expect(headers.httpClient.httpHeaders["X-Tenant"]?.files == [directory + "/header-file"])

        let alerting = config.alerting
        #expect(alerting.alertRelabelConfigs[0].replacement == "yes")
        #expect(alerting.alertmanagers[0].scheme == "https")
        #expect(alerting.alertmanagers[0].pathPrefix == "/am")
        #expect(alerting.alertmanagers[0].timeout == .seconds(20))
        #expect(alerting.alertmanagers[0].serviceDiscovery.staticConfigs[0].targets == ["1.2.3.4:9093", "1.2.3.5:9093"])
        #expect(alerting.alertmanagers[0].alertRelabelConfigs[0].action == .labeldrop)
        #expect(alerting.alertmanagers[1].sigv4?.region == "us-east-2")
        #expect(alerting.alertmanagers[1].timeout == .seconds(10))

        let writes = config.remoteWrite
        #expect(writes.map(\.name) == ["drop_expensive", "rw_tls", "", ""])
        #expect(writes[0].sendExemplars && writes[0].sendNativeHistograms)
        #expect(writes[0].httpClient.oauth2?.tokenURL == "http://remote1/auth")
        #expect(writes[1].queueConfig.capacity == 2500)
        #expect(writes[1].queueConfig.maxShards == 50)
        #expect(writes[1].queueConfig.minShards == 2)
        #expect(writes[1].queueConfig.sampleAgeLimit == .hours(1))
        #expect(writes[1].queueConfig.minBackoff == PromDuration(milliseconds: 50))
        #expect(!writes[1].metadataConfig.send)
        #expect(writes[1].metadataConfig.sendInterval == .minutes(1))
        #expect(writes[2].sigv4?.region == "us-east-2")
        #expect(writes[3].azureAD?.managedIdentityClientID == "00000000-0000-0000-0000-000000000000")

        let reads = config.remoteRead
        #expect(reads[0].readRecent)
        #expect(reads[0].remoteTimeout == .minutes(1))
        #expect(reads[0].filterExternalLabels)
        #expect(!reads[0].httpClient.enableHTTP2)
        #expect(reads[1].requiredMatchers == ["job": "special"])
        #expect(!reads[1].filterExternalLabels)

        #expect(config.storage.tsdb.outOfOrderTimeWindow == .minutes(30))
        #expect(config.storage.exemplars.maxExemplars == 5_000_000)
        let tracing = try #require(config.tracing)
        #expect(tracing.clientType == .http)
        #expect(tracing.endpoint == "localhost:4317")
        #expect(tracing.samplingFraction == 0.5)
        #expect(tracing.timeout == .seconds(5))
        #expect(tracing.tlsConfig.certFile == directory + "/valid_cert_file")
    }

    @Test func emptyFileIsAllDefaults() throws {
        let config = try PrometheusConfig.parse(yaml: "")
        #expect(config.global == GlobalConfig())
        #expect(config.global.scrapeInterval == .minutes(1))
        #expect(config.global.scrapeTimeout == .seconds(10))
        #expect(config.global.evaluationInterval == .minutes(1))
        #expect(config.global.ruleQueryOffset == .zero)
        #expect(config.scrapeConfigs.isEmpty)
        #expect(config.runtime.gogc == 75)
        #expect(config.storage == StorageConfig())
        #expect(PrometheusConfig.parse(yamlOrNil: "global:\n")?.global == GlobalConfig())
    }

    @Test func scrapeTimeoutDefaultsToTheIntervalWhenShorter() throws {
        let config = try PrometheusConfig.parse(yaml: """
            global:
              scrape_interval: 5s
            scrape_configs:
              - job_name: fast
                scrape_interval: 2s
              - job_name: slow
                scrape_interval: 5m
            """)
        #expect(config.global.scrapeTimeout == .seconds(5))
        #expect(config.scrapeConfigs[0].scrapeTimeout == .seconds(2))
        #expect(config.scrapeConfigs[1].scrapeTimeout == .seconds(5))
    }

    @Test func embeddedDefaultParses() throws {
        let config = try PrometheusConfig.parse(yaml: PrometheusConfig.embeddedDefault(), fileName: "<embedded>")
        #expect(config.global.scrapeInterval == .seconds(15))
        #expect(config.global.evaluationInterval == .seconds(15))
        #expect(config.global.scrapeTimeout == .seconds(10))
        let selfScrape = try #require(config.scrapeConfigs.first)
        #expect(selfScrape.jobName == "vigil")
        #expect(selfScrape.serviceDiscovery.staticConfigs.first?.targets == ["127.0.0.1:9470"])
        let elsewhere = try PrometheusConfig.parse(yaml: PrometheusConfig.embeddedDefault(selfAddress: "[::1]:19000"))
        #expect(elsewhere.scrapeConfigs.first?.serviceDiscovery.staticConfigs.first?.targets == ["[::1]:19000"])
        #expect(try PrometheusConfig.parse(yaml: PrometheusConfig.embeddedDefault(selfAddress: nil)).scrapeConfigs.isEmpty)
    }

    @Test func embeddedDefaultScrapesTheNodeCollector() throws {
        let config = try PrometheusConfig.parse(
            yaml: PrometheusConfig.embeddedDefault(selfAddress: "127.0.0.1:9470", nodeMetricsPath: "/metrics/node"))
        #expect(config.scrapeConfigs.map(\.jobName) == ["vigil", "node"])
        let node = try #require(config.scrapeConfigs.last)
        #expect(node.metricsPath == "/metrics/node")
        #expect(node.serviceDiscovery.staticConfigs.first?.targets == ["127.0.0.1:9470"])
        let none = try PrometheusConfig.parse(yaml: PrometheusConfig.embeddedDefault(selfAddress: nil, nodeMetricsPath: "/metrics/node"))
        #expect(none.scrapeConfigs.isEmpty)
    }

    @Test func unreadableFile() throws {
        #expect {
            try PrometheusConfig.load(path: Fixtures.path("does-not-exist.yml"))
        } throws: { error in
            (error as? ConfigError)?.kind == .unreadable
        }
    }
}

extension PrometheusConfig {
    fileprivate static func parse(yamlOrNil yaml: String) -> PrometheusConfig? {
        try? parse(yaml: yaml)
    }
}
