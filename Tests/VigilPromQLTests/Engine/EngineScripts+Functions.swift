extension EngineScripts {
    static let rates = """
    load 1m
      m{kind="plain"} 10 20 30 40 50
      m{kind="zero"} _ 1 11 21
      m{kind="sparse"} _ _ 5 10
      reset 5 10 2 4

    # Window [30s, 210s]: both edges extrapolated by 30s (under 1.1 x average gap).
    eval instant at 210s increase(m{kind="plain"}[3m])
      {kind="plain"} 30

    eval instant at 210s rate(m{kind="plain"}[3m])
      {kind="plain"} 0.16666666666666666

    # Start extrapolation capped at the counter's zero point.
    eval instant at 210s increase(m{kind="zero"}[3m])
      {kind="zero"} 26

    # A gap to the window start >= 1.1 x average is replaced by half the average.
    eval instant at 210s increase(m{kind="sparse"}[3m])
      {kind="sparse"} 10

    eval instant at 210s delta(m{kind="sparse"}[3m])
      {kind="sparse"} 10

    eval instant at 210s irate(m{kind="plain"}[3m])
      {kind="plain"} 0.16666666666666666

    eval instant at 210s idelta(m{kind="plain"}[3m])
      {kind="plain"} 10

    # The window is closed on the left in 2.x: [0, 3m] holds all four samples.
    eval instant at 3m increase(reset[3m])
      {} 9

    eval instant at 3m resets(reset[3m])
      {} 1

    eval instant at 3m changes(reset[3m])
      {} 3

    eval instant at 2m irate(reset[3m])
      {} 0.03333333333333333

    # One sample gives no rate.
    eval instant at 0m rate(reset[3m])

    eval instant at 4m deriv(m{kind="plain"}[4m])
      {kind="plain"} 0.16666666666666666

    eval instant at 4m predict_linear(m{kind="plain"}[4m], 60)
      {kind="plain"} 60

    eval range from 2m to 4m step 1m increase(reset[2m])
      {} 7 4 4

    eval range from 0 to 4m step 2m rate(m{kind="plain"}[2m])
      {kind="plain"} _ 0.16666666666666666 0.16666666666666666
    """

    static let overTime = """
    load 1m
      g{a="x"} 4 2 8 6

    eval instant at 3m avg_over_time(g[3m])
      {a="x"} 5

    eval instant at 3m min_over_time(g[3m])
      {a="x"} 2

    eval instant at 3m max_over_time(g[3m])
      {a="x"} 8

    eval instant at 3m sum_over_time(g[3m])
      {a="x"} 20

    eval instant at 3m count_over_time(g[3m])
      {a="x"} 4

    eval instant at 3m count_over_time(g[2m])
      {a="x"} 3

    eval instant at 3m last_over_time(g[3m])
      g{a="x"} 6

    eval instant at 3m present_over_time(g[3m])
      {a="x"} 1

    eval instant at 3m quantile_over_time(0.5, g[3m])
      {a="x"} 5

    eval instant at 3m stddev_over_time(g[3m])
      {a="x"} 2.23606797749979

    eval instant at 3m stdvar_over_time(g[3m])
      {a="x"} 5

    eval instant at 3m changes(g[3m])
      {a="x"} 3

    eval instant at 3m resets(g[3m])
      {a="x"} 2

    eval instant at 3m holt_winters(g[3m], 0.5, 0.5)
      {a="x"} 5

    eval_fail instant at 3m holt_winters(g[3m], 1, 0.5)
      expected_fail_message invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000

    eval instant at 3m absent_over_time(g[1m])

    eval instant at 3m absent_over_time(nonexistent{job="x", env=~"p.*"}[1m])
      {job="x"} 1

    eval range from 0 to 10m step 5m absent_over_time(g[1m])
      {} _ 1 1

    eval instant at 3m absent(nonexistent{job="x", job="y", instance="i"})
      {instance="i"} 1

    eval instant at 3m absent(g)

    eval instant at 3m absent(sum(nonexistent))
      {} 1
    """

    static let histograms = """
    load 5m
      req_bucket{job="a", le="0.1"} 0+1x10
      req_bucket{job="a", le="0.5"} 0+2x10
      req_bucket{job="a", le="1"} 0+4x10
      req_bucket{job="a", le="+Inf"} 0+4x10
      noinf_bucket{le="1"} 10
      noinf_bucket{le="2"} 20
      bad_bucket{le="1"} 10
      bad_bucket{le="2"} 5
      bad_bucket{le="+Inf"} 10
      neg_bucket{le="-1"} 5
      neg_bucket{le="+Inf"} 10

    eval instant at 50m histogram_quantile(0.5, req_bucket)
      {job="a"} 0.5

    eval instant at 50m histogram_quantile(0.25, req_bucket)
      {job="a"} 0.1

    eval instant at 50m histogram_quantile(0.75, req_bucket)
      {job="a"} 0.75

    eval instant at 50m histogram_quantile(1, req_bucket)
      {job="a"} 1

    eval instant at 50m histogram_quantile(1.1, req_bucket)
      {job="a"} +Inf

    eval instant at 50m histogram_quantile(-1, req_bucket)
      {job="a"} -Inf

    eval instant at 50m histogram_quantile(0.5, rate(req_bucket[10m]))
      {job="a"} 0.5

    eval instant at 0m histogram_quantile(0.5, req_bucket)
      {job="a"} NaN

    eval instant at 0m histogram_quantile(0.5, noinf_bucket)
      {} NaN

    eval instant at 0m histogram_quantile(0.5, bad_bucket)
      {} 0.5

    # The lowest bucket's upper bound is returned when it is <= 0.
    eval instant at 0m histogram_quantile(0.2, neg_bucket)
      {} -1

    eval instant at 50m histogram_quantile(0.5, sum by (le) (req_bucket))
      {} 0.5
    """

    static let functions = """
    load 5m
      v{i="a"} -1.5
      v{i="b"} 2.5
      v{i="c"} 7
      t 1136239445

    eval instant at 0m abs(v)
      {i="a"} 1.5
      {i="b"} 2.5
      {i="c"} 7

    eval instant at 0m ceil(v)
      {i="a"} -1
      {i="b"} 3
      {i="c"} 7

    eval instant at 0m floor(v)
      {i="a"} -2
      {i="b"} 2
      {i="c"} 7

    eval instant at 0m round(v)
      {i="a"} -1
      {i="b"} 3
      {i="c"} 7

    eval instant at 0m round(v, 5)
      {i="a"} 0
      {i="b"} 5
      {i="c"} 5

    eval instant at 0m sgn(v)
      {i="a"} -1
      {i="b"} 1
      {i="c"} 1

    eval instant at 0m clamp(v, 0, 5)
      {i="a"} 0
      {i="b"} 2.5
      {i="c"} 5

    eval instant at 0m clamp(v, 5, 0)

    eval instant at 0m clamp_max(v, 2)
      {i="a"} -1.5
      {i="b"} 2
      {i="c"} 2

    eval instant at 0m clamp_min(v, 2)
      {i="a"} 2
      {i="b"} 2.5
      {i="c"} 7

    eval instant at 0m sqrt(v{i="c"} - 3)
      {i="c"} 2

    eval instant at 0m exp(v{i="c"} * 0)
      {i="c"} 1

    eval instant at 0m ln(v{i="c"} * 0)
      {i="c"} -Inf

    eval instant at 0m log2(v{i="c"} + 1)
      {i="c"} 3

    eval instant at 0m log10(v{i="c"} + 93)
      {i="c"} 2

    eval instant at 0m deg(v{i="c"} * 0 + pi())
      {i="c"} 180

    eval instant at 0m rad(v{i="c"} * 0 + 180)
      {i="c"} 3.141592653589793

    eval instant at 0m cos(v{i="c"} * 0)
      {i="c"} 1

    eval instant at 0m v{i="c"} atan2 0
      {i="c"} 1.5707963267948966

    eval_ordered instant at 0m sort(v)
      v{i="a"} -1.5
      v{i="b"} 2.5
      v{i="c"} 7

    eval_ordered instant at 0m sort_desc(v)
      v{i="c"} 7
      v{i="b"} 2.5
      v{i="a"} -1.5

    eval instant at 2m timestamp(v{i="a"})
      {i="a"} 0

    eval instant at 2m timestamp(v{i="a"} + 1)
      {i="a"} 120

    eval instant at 2m time()
      120

    eval instant at 2m vector(time())
      {} 120

    eval instant at 0m scalar(v{i="a"})
      -1.5

    eval instant at 0m scalar(v)
      NaN

    eval instant at 0m day_of_month(t)
      {} 2

    eval instant at 0m day_of_week(t)
      {} 1

    eval instant at 0m day_of_year(t)
      {} 2

    eval instant at 0m days_in_month(t)
      {} 31

    eval instant at 0m hour(t)
      {} 22

    eval instant at 0m minute(t)
      {} 4

    eval instant at 0m month(t)
      {} 1

    eval instant at 0m year(t)
      {} 2006

    eval instant at 0m days_in_month(vector(1706745600))
      {} 29

    eval instant at 0m year(vector(-1))
      {} 1969

    eval instant at 0m year()
      {} 1970

    # NaN, ±Inf and out-of-range values convert to Go's minimum int64; Go's wrapping date
    # arithmetic then gives these fields (Prometheus answers them; Vigil used to trap).
    eval instant at 0m minute(vector(NaN))
      {} 30

    eval instant at 0m hour(vector(Inf))
      {} 15

    eval instant at 0m day_of_month(vector(-Inf))
      {} 4

    eval instant at 0m day_of_year(vector(1e30))
      {} 339

    eval instant at 0m year(vector(NaN))
      {} 292277026596

    eval instant at 0m month(vector(9.2e18))
      {} 8

    eval instant at 0m day_of_week(vector(-9.2e18))
      {} 2

    eval instant at 0m year(vector(-9.2e18))
      {} -291536392293

    eval instant at 0m year(vector(-62135596801))
      {} 0

    eval instant at 0m days_in_month(vector(-1e17))
      {} 30

    eval instant at 0m label_replace(v{i="a"}, "dst", "x-$1-${1}y", "i", "(.*)")
      v{i="a", dst="x-a-ay"} -1.5

    eval instant at 0m label_replace(v{i="a"}, "dst", "$1", "i", "nomatch(.*)")
      v{i="a"} -1.5

    eval instant at 0m label_replace(v{i="a"}, "i", "", "i", ".*")
      v -1.5

    eval_fail instant at 0m label_replace(v, "i", "", "nope", ".*")
      expected_fail_message vector cannot contain metrics with the same labelset

    eval_fail instant at 0m label_replace(v, "0bad", "", "i", ".*")
      expected_fail_message invalid destination label name in label_replace(): 0bad

    eval instant at 0m label_join(v{i="a"}, "dst", "-", "i", "__name__", "missing")
      v{i="a", dst="a-v-"} -1.5

    eval instant at 0m -v{i="a"}
      {i="a"} 1.5

    eval instant at 0m pi()
      3.141592653589793

    clear
    load 1m
      s{i="00"} 0 4
      s{i="01"} 7 1
      s{i="02"} 4 8
      s{i="03"} 1 5
      s{i="04"} 8 2
      s{i="05"} 5 9
      s{i="06"} 2 6
      s{i="07"} 9 3
      s{i="08"} 6 0
      s{i="09"} 3 7
      s{i="10"} 0 4
      s{i="11"} 7 1
      s{i="12"} 4 8
      s{i="13"} 1 5
      s{i="14"} 8 2
      s{i="15"} 5 9

    # More than 12 elements: Go's pdqsort, which is not stable, decides the order of equal values
    # (these orders are Prometheus's answers).
    eval_ordered instant at 0m sort(s)
      s{i="10"} 0
      s{i="00"} 0
      s{i="03"} 1
      s{i="13"} 1
      s{i="06"} 2
      s{i="09"} 3
      s{i="02"} 4
      s{i="12"} 4
      s{i="15"} 5
      s{i="05"} 5
      s{i="08"} 6
      s{i="11"} 7
      s{i="01"} 7
      s{i="04"} 8
      s{i="14"} 8
      s{i="07"} 9

    eval_ordered instant at 0m sort_desc(s)
      s{i="07"} 9
      s{i="14"} 8
      s{i="04"} 8
      s{i="01"} 7
      s{i="11"} 7
      s{i="08"} 6
      s{i="05"} 5
      s{i="15"} 5
      s{i="12"} 4
      s{i="02"} 4
      s{i="09"} 3
      s{i="06"} 2
      s{i="03"} 1
      s{i="13"} 1
      s{i="00"} 0
      s{i="10"} 0

    # topk keeps Go's heap's choice among equal values (2.53: overwrite the root, heap.Fix).
    eval_ordered instant at 1m topk(3, s)
      s{i="05"} 9
      s{i="15"} 9
      s{i="02"} 8
    """
}
