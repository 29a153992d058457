enum EngineScripts {}

extension EngineScripts {
    static let selectors = """
    load 10s
      http_requests{job="api", instance="0"} 0+10x10
      http_requests{job="api", instance="1"} 0+20x10
      http_requests{job="db", instance="0"} 1 _ _ stale 5

    eval instant at 50s http_requests
      http_requests{job="api", instance="0"} 50
      http_requests{job="api", instance="1"} 100
      http_requests{job="db", instance="0"} 5

    # The stale marker at 30s ends the db series until 40s brings a new sample.
    eval instant at 30s http_requests{job="db"}

    eval instant at 40s http_requests{job="db"}
      http_requests{job="db", instance="0"} 5

    # Lookback: the last sample (100s) is still visible 5m later, inclusive, not after.
    eval instant at 400s http_requests{instance="0", job="api"}
      http_requests{job="api", instance="0"} 100

    eval instant at 401s http_requests{instance="0", job="api"}

    eval instant at 100s http_requests{job="api"} offset 50s
      http_requests{job="api", instance="0"} 50
      http_requests{job="api", instance="1"} 100

    eval instant at 50s http_requests{job="api"} offset -20s
      http_requests{job="api", instance="0"} 70
      http_requests{job="api", instance="1"} 140

    eval instant at 1000s http_requests{job="api"} @ 30
      http_requests{job="api", instance="0"} 30
      http_requests{job="api", instance="1"} 60

    eval instant at 1000s http_requests{job="api"} @ 50 offset 20s
      http_requests{job="api", instance="0"} 30
      http_requests{job="api", instance="1"} 60

    eval range from 0 to 100s step 50s http_requests{job="api", instance="0"} @ end()
      http_requests{job="api", instance="0"} 100 100 100

    eval range from 0 to 100s step 50s http_requests{job="api", instance="0"} @ start()
      http_requests{job="api", instance="0"} 0 0 0

    eval range from 0 to 40s step 10s http_requests{job="db"}
      http_requests{job="db", instance="0"} 1 1 1 _ 5

    eval instant at 30s http_requests{job="api", instance="0"}[30s]
      http_requests{job="api", instance="0"} 0 10 20 30

    eval instant at 50s http_requests{job=~"a.*", instance!="1"}
      http_requests{job="api", instance="0"} 50

    eval instant at 50s {__name__=~"http_.*", job="db"}
      http_requests{job="db", instance="0"} 5

    eval instant at 0s 1
      1

    eval instant at 0s "hello"
      "hello"

    eval_fail range from 0 to 10s step 5s http_requests[1m]
      expected_fail_message invalid expression type "range vector" for range query, must be Scalar or instant Vector

    eval_fail instant at 0s foo{
    """
}
