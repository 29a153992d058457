public import VigilConfig

/// A promtool rule unit-test file (`promtool test rules`): rule files to load, and test groups of
/// input series with the alerts and query results expected at given times.
public struct RuleTestFile: Sendable, Decodable {
    /// Rule file paths, relative to the test file's directory.
    public var ruleFiles: [String]
    /// How often the rules are evaluated (default 1m).
    public var evaluationInterval: PromDuration
    /// The order groups are evaluated in at each step (by name); empty means file order.
    public var groupEvalOrder: [String]
    /// The test groups.
    public var tests: [TestGroup]

    enum CodingKeys: String, CodingKey {
        case ruleFiles = "rule_files"
        case evaluationInterval = "evaluation_interval"
        case groupEvalOrder = "group_eval_order"
        case tests
    }

    /// Decodes a test file.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ruleFiles = try container.decodeIfPresent([String].self, forKey: .ruleFiles) ?? []
        evaluationInterval = try container.decodeIfPresent(PromDuration.self, forKey: .evaluationInterval) ?? .minutes(1)
        groupEvalOrder = try container.decodeIfPresent([String].self, forKey: .groupEvalOrder) ?? []
        tests = try container.decodeIfPresent([TestGroup].self, forKey: .tests) ?? []
    }

    /// One entry of `tests`.
    public struct TestGroup: Sendable, Decodable {
        /// The step between input values (default 1m).
        public var interval: PromDuration
        /// The input series and their values in promtool's expanding notation.
        public var inputSeries: [InputSeries]
        /// Expected firing alerts at given times.
        public var alertRuleTests: [AlertRuleTest]
        /// Expected query results at given times.
        public var promqlExprTests: [PromQLExprTest]
        /// `external_labels` for templates.
        public var externalLabels: [String: String]
        /// `external_url` for templates.
        public var externalURL: String
        /// The test's name, shown in failures.
        public var name: String

        enum CodingKeys: String, CodingKey {
            case interval
            case inputSeries = "input_series"
            case alertRuleTests = "alert_rule_test"
            case promqlExprTests = "promql_expr_test"
            case externalLabels = "external_labels"
            case externalURL = "external_url"
            case name
        }

        /// Decodes one test group.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            interval = try container.decodeIfPresent(PromDuration.self, forKey: .interval) ?? .minutes(1)
            inputSeries = try container.decodeIfPresent([InputSeries].self, forKey: .inputSeries) ?? []
            alertRuleTests = try container.decodeIfPresent([AlertRuleTest].self, forKey: .alertRuleTests) ?? []
            promqlExprTests = try container.decodeIfPresent([PromQLExprTest].self, forKey: .promqlExprTests) ?? []
            externalLabels = try container.decodeIfPresent([String: String].self, forKey: .externalLabels) ?? [:]
            externalURL = try container.decodeIfPresent(String.self, forKey: .externalURL) ?? ""
            name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        }
    }

    /// `series: 'name{label="value"}'`, `values: '1+1x10 _ stale'`.
    public struct InputSeries: Sendable, Decodable {
        /// The series, in PromQL selector syntax with `=` matchers only.
        public var series: String
        /// The values in promtool's notation.
        public var values: String
    }

    /// `eval_time`, `alertname`, `exp_alerts`.
    public struct AlertRuleTest: Sendable, Decodable {
        /// When to look.
        public var evalTime: PromDuration
        /// Which alerting rules' alerts to compare.
        public var alertName: String
        /// The firing alerts expected.
        public var expectedAlerts: [ExpectedAlert]

        enum CodingKeys: String, CodingKey {
            case evalTime = "eval_time"
            case alertName = "alertname"
            case expectedAlerts = "exp_alerts"
        }

        /// Decodes one alert test.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            evalTime = try container.decodeIfPresent(PromDuration.self, forKey: .evalTime) ?? .zero
            alertName = try container.decodeIfPresent(String.self, forKey: .alertName) ?? ""
            expectedAlerts = try container.decodeIfPresent([ExpectedAlert].self, forKey: .expectedAlerts) ?? []
        }
    }

    /// One expected alert: its labels (without `alertname`) and annotations.
    public struct ExpectedAlert: Sendable, Decodable {
        /// `exp_labels`.
        public var labels: [String: String]
        /// `exp_annotations`.
        public var annotations: [String: String]

        enum CodingKeys: String, CodingKey {
            case labels = "exp_labels"
            case annotations = "exp_annotations"
        }

        /// Decodes one expected alert.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
            annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:]
        }
    }

    /// `expr`, `eval_time`, `exp_samples`.
    public struct PromQLExprTest: Sendable, Decodable {
        /// The query.
        public var expr: String
        /// When to run it.
        public var evalTime: PromDuration
        /// The samples expected, in any order.
        public var expectedSamples: [ExpectedSample]

        enum CodingKeys: String, CodingKey {
            case expr
            case evalTime = "eval_time"
            case expectedSamples = "exp_samples"
        }

        /// Decodes one query test.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            expr = try container.decodeIfPresent(String.self, forKey: .expr) ?? ""
            evalTime = try container.decodeIfPresent(PromDuration.self, forKey: .evalTime) ?? .zero
            expectedSamples = try container.decodeIfPresent([ExpectedSample].self, forKey: .expectedSamples) ?? []
        }
    }

    /// `labels: 'name{a="b"}'`, `value: 1`.
    public struct ExpectedSample: Sendable, Decodable {
        /// The series, in selector syntax (empty for a sample with no labels).
        public var labels: String
        /// The value.
        public var value: Double

        enum CodingKeys: String, CodingKey {
            case labels, value
        }

        /// Decodes one expected sample.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            labels = try container.decodeIfPresent(String.self, forKey: .labels) ?? ""
            value = try container.decodeIfPresent(Double.self, forKey: .value) ?? 0
        }
    }
}
