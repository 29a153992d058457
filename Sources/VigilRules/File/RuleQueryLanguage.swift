import VigilLogQL
import VigilPromQL

/// The query language of a rule file's expressions.
///
/// `count_over_time({app="x"}[5m])` parses as both PromQL and LogQL, so the language is not
/// guessed from the text: files named by `rule_files` are PromQL and those named by
/// `log_rule_files` are LogQL, evaluated against the log store, as Loki's ruler reads ordinary
/// Prometheus-format rule files whose expressions are LogQL.
public enum RuleQueryLanguage: String, Sendable, Hashable {
    /// PromQL over the TSDB (`rule_files`).
    case promQL = "promql"
    /// LogQL metric queries over the log store (`log_rule_files`).
    case logQL = "logql"

    /// The language a rule being decoded is checked against; set by ``RuleFile/parse(yaml:fileName:language:)``
    /// because rules are decoded through `Decodable`, which carries no such setting.
    @TaskLocal static var decoding: RuleQueryLanguage = .promQL

    /// Why `expression` is not a valid rule expression in this language; nil when it is.
    ///
    /// A LogQL rule must be a metric query: a log query returns lines, not a vector.
    func problem(with expression: String) -> String? {
        switch self {
        case .promQL:
            do {
                _ = try PromQL.parse(expression)
                return nil
            } catch {
                return error.description
            }
        case .logQL:
            do {
                guard case .metric = try LogQLParser.parse(expression) else {
                    return "a LogQL rule expression must be a metric query, not a log query"
                }
                return nil
            } catch {
                return error.description
            }
        }
    }
}
