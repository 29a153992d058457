import Testing
import VigilConfig

/// One file under Fixtures/bad/ and exactly where and how it must be rejected.
struct BadConfig: CustomTestStringConvertible, Sendable {
    let file: String
    let kind: ConfigError.Kind
    let line: Int
    let column: Int
    let fieldPath: String
    let message: String

    var testDescription: String { file }
}

struct BadConfigTests {
    static let cases: [BadConfig] = [
        BadConfig(file: "authorization_and_bearer_token.yml", kind: .invalidValue, line: 5, column: 7, fieldPath: "scrape_configs[0].authorization", message: #"authorization is not compatible with bearer_token & bearer_token_file"#),
        BadConfig(file: "bad_duration.yml", kind: .invalidValue, line: 2, column: 20, fieldPath: "global.scrape_interval", message: #"not a valid duration string: "1h1d""#),
        BadConfig(file: "bad_duration_unit.yml", kind: .invalidValue, line: 3, column: 21, fieldPath: "scrape_configs[0].scrape_timeout", message: #"unknown unit "x" in duration "10x""#),
        BadConfig(file: "bad_external_label.yml", kind: .invalidValue, line: 4, column: 15, fieldPath: "global.external_labels.bad-name", message: #""bad-name" is not a valid label name"#),
        BadConfig(file: "bad_url.yml", kind: .invalidValue, line: 2, column: 10, fieldPath: "remote_read[0].url", message: #"URL "not a url" has no scheme (such as http://)"#),
        BadConfig(file: "duplicate_job_name.yml", kind: .invalidValue, line: 5, column: 15, fieldPath: "scrape_configs[1].job_name", message: #"found multiple scrape configs with job name "node""#),
        BadConfig(file: "duplicate_key.yml", kind: .duplicateKey, line: 6, column: 5, fieldPath: "scrape_configs[0].metrics_path", message: #"key "metrics_path" is already defined at line 5, column 5"#),
        BadConfig(file: "global_timeout_greater_than_interval.yml", kind: .invalidValue, line: 3, column: 19, fieldPath: "global.scrape_timeout", message: #"global scrape timeout greater than scrape interval"#),
        BadConfig(file: "hashmod_without_modulus.yml", kind: .invalidValue, line: 4, column: 9, fieldPath: "scrape_configs[0].relabel_configs[0].modulus", message: #"relabel configuration for hashmod requires non-zero modulus"#),
        BadConfig(file: "invalid_regex.yml", kind: .invalidValue, line: 7, column: 16, fieldPath: "scrape_configs[2].relabel_configs[0].regex", message: #"invalid regex "(unclosed": expected ')'"#),
        BadConfig(file: "kubernetes_bad_role.yml", kind: .invalidValue, line: 4, column: 15, fieldPath: "scrape_configs[0].kubernetes_sd_configs[0].role", message: #"unknown Kubernetes SD role "deployment""#),
        BadConfig(file: "kubernetes_missing_role.yml", kind: .invalidValue, line: 4, column: 9, fieldPath: "scrape_configs[0].kubernetes_sd_configs[0].role", message: #"role missing (one of: pod, service, endpoints, endpointslice, node, ingress)"#),
        BadConfig(file: "labeldrop_with_source_labels.yml", kind: .invalidValue, line: 4, column: 24, fieldPath: "scrape_configs[0].metric_relabel_configs[0].source_labels", message: #"labeldrop action requires only 'regex', and no other fields"#),
        BadConfig(file: "missing_job_name.yml", kind: .invalidValue, line: 2, column: 5, fieldPath: "scrape_configs[0].job_name", message: #"job_name is empty"#),
        BadConfig(file: "missing_remote_write_url.yml", kind: .invalidValue, line: 2, column: 5, fieldPath: "remote_write[0].url", message: #"url for remote_write is empty"#),
        BadConfig(file: "mutually_exclusive_auth.yml", kind: .invalidValue, line: 6, column: 19, fieldPath: "scrape_configs[0].bearer_token", message: #"at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"#),
        BadConfig(file: "negative_limit.yml", kind: .invalidValue, line: 3, column: 19, fieldPath: "scrape_configs[0].sample_limit", message: #"must not be negative, got the integer -1"#),
        BadConfig(file: "not_a_mapping.yml", kind: .typeMismatch, line: 1, column: 1, fieldPath: "", message: #"expected a mapping, got a list"#),
        BadConfig(file: "password_and_password_file.yml", kind: .invalidValue, line: 6, column: 22, fieldPath: "remote_write[0].basic_auth.password_file", message: #"at most one of basic_auth password & password_file must be configured"#),
        BadConfig(file: "replace_without_target.yml", kind: .invalidValue, line: 4, column: 9, fieldPath: "scrape_configs[0].relabel_configs[0].target_label", message: #"relabel configuration for replace action requires 'target_label' value"#),
        BadConfig(file: "static_target_url.yml", kind: .invalidValue, line: 4, column: 37, fieldPath: "scrape_configs[0].static_configs[0].targets[1]", message: #""http://example.com/metrics" is not a valid hostname"#),
        BadConfig(file: "syntax_error.yml", kind: .syntax, line: 3, column: 2, fieldPath: "", message: #"did not find expected key (while parsing a block mapping at line 1, column 1)"#),
        BadConfig(file: "timeout_greater_than_interval.yml", kind: .invalidValue, line: 6, column: 21, fieldPath: "scrape_configs[0].scrape_timeout", message: #"scrape timeout greater than scrape interval for scrape config with job name "slow""#),
        BadConfig(file: "unknown_action.yml", kind: .invalidValue, line: 4, column: 17, fieldPath: "scrape_configs[0].relabel_configs[0].action", message: #"unknown relabel action "rename""#),
        BadConfig(file: "unknown_field.yml", kind: .unknownField, line: 5, column: 5, fieldPath: "scrape_configs[0].scrape_intervall", message: #"unknown field "scrape_intervall" (did you mean "scrape_interval"?)"#),
        BadConfig(file: "unknown_top_level.yml", kind: .unknownField, line: 3, column: 1, fieldPath: "pipelines", message: #"unknown field "pipelines""#),
        BadConfig(file: "unsupported_sd.yml", kind: .unknownField, line: 3, column: 5, fieldPath: "scrape_configs[0].consul_sd_configs", message: #"unknown field "consul_sd_configs": consul service discovery is not supported by Vigil; use file_sd_configs or http_sd_configs"#),
        BadConfig(file: "wrong_type.yml", kind: .typeMismatch, line: 3, column: 19, fieldPath: "scrape_configs[0].honor_labels", message: #"expected a boolean (true or false), got the string "maybe""#),
        BadConfig(file: "wrong_type_list.yml", kind: .typeMismatch, line: 4, column: 7, fieldPath: "scrape_configs[0].static_configs", message: #"expected a list, got a mapping"#),
    ]

    @Test(arguments: cases)
    func rejectsWithExactPosition(_ expected: BadConfig) throws {
        let text = try Fixtures.text("bad/" + expected.file)
        do {
            let config = try PrometheusConfig.parse(yaml: text, fileName: "prometheus.yml")
            Issue.record("\(expected.file) loaded: \(config.scrapeConfigs.map(\.jobName))")
        } catch {
            #expect(error.kind == expected.kind)
            #expect(error.file == "prometheus.yml")
            #expect(error.line == expected.line)
            #expect(error.column == expected.column)
            #expect(error.fieldPath == expected.fieldPath)
            #expect(error.message == expected.message)
            #expect(error.description.hasPrefix("prometheus.yml:\(expected.line):\(expected.column): "))
        }
    }

    @Test func everyBadFixtureIsCovered() throws {
        let files = try FileManagerListing.names(in: Fixtures.path("bad"))
        #expect(Set(files) == Set(Self.cases.map(\.file)))
    }
}
