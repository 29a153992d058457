/// prometheus-adapter's documented example rules (docs/config-walkthrough.md, docs/config.md,
/// docs/externalmetrics.md and the default config map), as a user's config file would hold them.
enum WalkthroughConfig {
    static let yaml = """
        rules:
        # The walkthrough's rule: http_requests_total as a per-second rate, by pod and namespace.
        - seriesQuery: 'http_requests_total{kubernetes_namespace!="",kubernetes_pod_name!=""}'
          resources:
            overrides:
              kubernetes_namespace: {resource: "namespace"}
              kubernetes_pod_name: {resource: "pod"}
          name:
            matches: "^(.*)_total"
            as: "${1}_per_second"
          metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)'
        # The default config's cAdvisor counters: labels named after resources by the template.
        - seriesQuery: '{__name__=~"^container_.*",container!="POD",namespace!="",pod!=""}'
          seriesFilters:
          - isNot: "^container_.*_seconds_total$"
          resources:
            template: <<.Resource>>
          name:
            matches: ^container_(.*)_total$
          metricsQuery: sum(rate(<<.Series>>{<<.LabelMatchers>>,container!="POD"}[5m])) by (<<.GroupBy>>)
        externalRules:
        - seriesQuery: '{__name__="queue_depth",queue!=""}'
          resources:
            overrides:
              namespace: {resource: namespace}
          metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (queue)
        resourceRules:
          cpu:
            containerQuery: sum(rate(container_cpu_usage_seconds_total{<<.LabelMatchers>>}[3m])) by (<<.GroupBy>>)
            nodeQuery: sum(rate(container_cpu_usage_seconds_total{<<.LabelMatchers>>, id='/'}[3m])) by (<<.GroupBy>>)
            resources:
              overrides:
                node: {resource: node}
                namespace: {resource: namespace}
                pod: {resource: pod}
            containerLabel: container
          memory:
            containerQuery: sum(container_memory_working_set_bytes{<<.LabelMatchers>>}) by (<<.GroupBy>>)
            nodeQuery: sum(container_memory_working_set_bytes{<<.LabelMatchers>>,id='/'}) by (<<.GroupBy>>)
            resources:
              overrides:
                node: {resource: node}
                namespace: {resource: namespace}
                pod: {resource: pod}
            containerLabel: container
          window: 3m
        """
}
