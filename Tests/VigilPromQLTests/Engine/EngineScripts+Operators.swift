extension EngineScripts {
    static let aggregations = """
    load 5m
      http_requests{job="api-server", instance="0", group="production"} 0+10x10
      http_requests{job="api-server", instance="1", group="production"} 0+20x10
      http_requests{job="api-server", instance="0", group="canary"} 0+30x10
      http_requests{job="api-server", instance="1", group="canary"} 0+40x10
      http_requests{job="app-server", instance="0", group="production"} 0+50x10
      http_requests{job="app-server", instance="1", group="production"} 0+60x10
      http_requests{job="app-server", instance="0", group="canary"} 0+70x10
      http_requests{job="app-server", instance="1", group="canary"} 0+80x10
      vals{a="1"} 1
      vals{a="2"} 2
      vals{a="3"} 1
      vals{a="4"} NaN

    eval instant at 50m sum by (job) (http_requests)
      {job="api-server"} 1000
      {job="app-server"} 2600

    eval instant at 50m sum(http_requests) by (job)
      {job="api-server"} 1000
      {job="app-server"} 2600

    eval instant at 50m sum without (instance) (http_requests)
      {group="canary", job="api-server"} 700
      {group="production", job="api-server"} 300
      {group="canary", job="app-server"} 1500
      {group="production", job="app-server"} 1100

    eval instant at 50m sum by (nonexistent) (http_requests)
      {} 3600

    eval instant at 50m sum by (__name__) (http_requests)
      http_requests 3600

    eval instant at 50m avg by (job) (http_requests)
      {job="api-server"} 250
      {job="app-server"} 650

    eval instant at 50m count by (group) (http_requests)
      {group="canary"} 4
      {group="production"} 4

    eval instant at 50m min by (job) (http_requests)
      {job="api-server"} 100
      {job="app-server"} 500

    eval instant at 50m max by (job) (http_requests)
      {job="api-server"} 400
      {job="app-server"} 800

    eval instant at 50m group by (job) (http_requests)
      {job="api-server"} 1
      {job="app-server"} 1

    eval instant at 50m stddev by (job) (http_requests)
      {job="api-server"} 111.80339887498948
      {job="app-server"} 111.80339887498948

    eval instant at 50m stdvar by (job) (http_requests)
      {job="api-server"} 12500
      {job="app-server"} 12500

    eval instant at 50m quantile by (job) (0.5, http_requests)
      {job="api-server"} 250
      {job="app-server"} 650

    eval instant at 50m quantile(0.9, http_requests{job="api-server"})
      {} 370

    eval_ordered instant at 50m topk(3, http_requests)
      http_requests{job="app-server", instance="1", group="canary"} 800
      http_requests{job="app-server", instance="0", group="canary"} 700
      http_requests{job="app-server", instance="1", group="production"} 600

    eval_ordered instant at 50m bottomk(2, http_requests)
      http_requests{job="api-server", instance="0", group="production"} 100
      http_requests{job="api-server", instance="1", group="production"} 200

    eval instant at 50m topk by (job) (1, http_requests)
      http_requests{job="api-server", instance="1", group="canary"} 400
      http_requests{job="app-server", instance="1", group="canary"} 800

    eval instant at 50m topk(0, http_requests)

    eval range from 0 to 10m step 5m topk(1, http_requests{job="api-server"})
      http_requests{job="api-server", instance="0", group="canary"} 0 _ _
      http_requests{job="api-server", instance="1", group="canary"} _ 40 80

    eval instant at 0m count_values("value", vals)
      {value="1"} 2
      {value="2"} 1
      {value="NaN"} 1

    eval instant at 0m count_values without (a) ("v", vals)
      {v="1"} 2
      {v="2"} 1
      {v="NaN"} 1

    eval instant at 0m max(vals)
      {} 2

    eval instant at 0m sum(vals)
      {} NaN

    eval range from 0 to 10m step 5m sum by (group) (http_requests{job="api-server"})
      {group="canary"} 0 70 140
      {group="production"} 0 30 60
    """

    static let operators = """
    load 5m
      node_cpu{instance="a", mode="idle"} 10
      node_cpu{instance="a", mode="user"} 20
      node_cpu{instance="b", mode="idle"} 30
      node_meta{instance="a", os="linux"} 1
      node_meta{instance="b", os="mac"} 2

    eval instant at 0m node_cpu * on(instance) group_left(os) node_meta
      {instance="a", mode="idle", os="linux"} 10
      {instance="a", mode="user", os="linux"} 20
      {instance="b", mode="idle", os="mac"} 60

    eval instant at 0m node_meta * on(instance) group_right(os) node_cpu
      {instance="a", mode="idle", os="linux"} 10
      {instance="a", mode="user", os="linux"} 20
      {instance="b", mode="idle", os="mac"} 60

    eval instant at 0m node_cpu > on(instance) group_left node_meta * 15
      node_cpu{instance="a", mode="user"} 20

    eval instant at 0m node_meta < on(instance) group_right node_cpu
      node_cpu{instance="a", mode="idle"} 1
      node_cpu{instance="a", mode="user"} 1
      node_cpu{instance="b", mode="idle"} 2

    eval_fail instant at 0m node_cpu + on(instance) node_meta
      expected_fail_message multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)

    eval_fail instant at 0m node_meta + on(instance) node_cpu
      expected_fail_message found duplicate series for the match group {instance="a"} on the right hand-side of the operation: [{__name__="node_cpu", instance="a", mode="user"}, {__name__="node_cpu", instance="a", mode="idle"}];many-to-many matching not allowed: matching labels must be unique on one side

    eval_fail instant at 0m node_cpu * on(instance) group_left node_cpu
      expected_fail_message found duplicate series for the match group {instance="a"} on the right hand-side of the operation: [{__name__="node_cpu", instance="a", mode="user"}, {__name__="node_cpu", instance="a", mode="idle"}];many-to-many matching not allowed: matching labels must be unique on one side

    eval instant at 0m node_cpu{mode="idle"} + ignoring(mode, os) node_meta{os="linux"} * 0
      {instance="a"} 10

    eval instant at 0m node_cpu + ignoring(mode) node_meta{os="linux"} * 0

    eval instant at 0m node_cpu{mode="idle"} + ignoring(mode) node_cpu{mode="user"}
      {instance="a"} 30

    eval instant at 0m node_cpu and on(instance) node_meta{os="linux"}
      node_cpu{instance="a", mode="idle"} 10
      node_cpu{instance="a", mode="user"} 20

    eval instant at 0m node_cpu unless on(instance) node_meta{os="linux"}
      node_cpu{instance="b", mode="idle"} 30

    eval instant at 0m node_meta or node_cpu
      node_meta{instance="a", os="linux"} 1
      node_meta{instance="b", os="mac"} 2
      node_cpu{instance="a", mode="idle"} 10
      node_cpu{instance="a", mode="user"} 20
      node_cpu{instance="b", mode="idle"} 30

    eval instant at 0m node_cpu{mode="idle"} or on(instance) node_meta
      node_cpu{instance="a", mode="idle"} 10
      node_cpu{instance="b", mode="idle"} 30

    eval instant at 0m node_cpu > 15
      node_cpu{instance="a", mode="user"} 20
      node_cpu{instance="b", mode="idle"} 30

    eval instant at 0m 15 < node_cpu
      node_cpu{instance="a", mode="user"} 20
      node_cpu{instance="b", mode="idle"} 30

    eval instant at 0m node_cpu > bool 15
      {instance="a", mode="idle"} 0
      {instance="a", mode="user"} 1
      {instance="b", mode="idle"} 1

    eval instant at 0m node_cpu == bool on(instance, mode) node_cpu
      {instance="a", mode="idle"} 1
      {instance="a", mode="user"} 1
      {instance="b", mode="idle"} 1

    eval instant at 0m node_cpu - node_cpu
      {instance="a", mode="idle"} 0
      {instance="a", mode="user"} 0
      {instance="b", mode="idle"} 0

    eval instant at 0m node_cpu{mode="user"} % 7
      {instance="a", mode="user"} 6

    eval instant at 0m -node_cpu{mode="user"} % 7
      {instance="a", mode="user"} -6

    eval instant at 0m node_cpu{mode="user"} ^ 2
      {instance="a", mode="user"} 400

    eval instant at 0m 2 ^ 3 ^ 2
      512

    eval instant at 0m 1 > bool 2
      0

    eval instant at 0m 10 % 3 + 2 * 3
      7

    eval instant at 0m (1 atan2 1) * 4
      3.141592653589793

    eval instant at 0m node_cpu / 0
      {instance="a", mode="idle"} +Inf
      {instance="a", mode="user"} +Inf
      {instance="b", mode="idle"} +Inf

    eval_fail instant at 0m node_meta + ignoring(os, instance) node_cpu{mode="idle"}
      expected_fail_message found duplicate series for the match group {mode="idle"} on the right hand-side of the operation: [{__name__="node_cpu", instance="b", mode="idle"}, {__name__="node_cpu", instance="a", mode="idle"}];many-to-many matching not allowed: matching labels must be unique on one side

    eval_fail instant at 0m node_cpu{mode="idle"} + on(mode) group_right node_meta
      expected_fail_message found duplicate series for the match group {mode="idle"} on the left hand-side of the operation: [{__name__="node_cpu", instance="b", mode="idle"}, {__name__="node_cpu", instance="a", mode="idle"}];many-to-many matching not allowed: matching labels must be unique on one side
    """

    static let subqueries = """
    load 10s
      metric 1+1x100

    eval instant at 50s sum_over_time(metric[50s:10s])
      {} 21

    eval instant at 55s sum_over_time(metric[50s:10s])
      {} 20

    eval instant at 50s rate(metric[50s:10s])
      {} 0.1

    eval instant at 100s max_over_time(metric[2m:])
      {} 7

    eval instant at 100s max_over_time(metric[1m:10s] offset 20s)
      {} 9

    eval instant at 1000s max_over_time(metric[1m:10s] @ 100)
      {} 11

    eval instant at 50s count_over_time(rate(metric[20s])[30s:10s])
      {} 4

    eval range from 0 to 40s step 20s sum_over_time(metric[20s:10s])
      {} 1 6 12
    """
}
