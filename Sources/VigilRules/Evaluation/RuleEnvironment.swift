import VigilTemplate
public import Logging
import VigilModel
public import VigilPromQL
public import VigilTSDB
public import VigilLogQL

/// What rules evaluate against: the store they query and write, the engine, and the settings
/// alert templates see.
public struct RuleEnvironment: Sendable {
    /// The store queried and written.
    public var tsdb: TSDB
    /// The PromQL engine.
    public var engine: Engine
    /// `global.external_labels`, for `$externalLabels` in templates.
    public var externalLabels: [String: String]
    /// `--web.external-url`, for `$externalURL`, `externalURL` and `pathPrefix`.
    public var externalURL: String
    /// Where evaluation failures are logged.
    public var logger: Logger
    /// How long Vigil may have been down for `for` state to be restored from `ALERTS_FOR_STATE`
    /// (ms; Prometheus's `--rules.alert.for-outage-tolerance`, 1h).
    public var forOutageTolerance: Int64 = 3_600_000
    /// The least time a restored pending alert still waits before it fires (ms; Prometheus's
    /// `--rules.alert.for-grace-period`, 10m).
    public var forGracePeriod: Int64 = 600_000
    /// The least time between two notifications of a still-firing alert (ms; Prometheus's
    /// `--rules.alert.resend-delay`, 1m).
    public var resendDelay: Int64 = 60_000
    /// Receives the alerts due for a notification after each successful evaluation of an
    /// alerting rule, with the rule's expression in canonical form (Prometheus's `NotifyFunc`);
    /// nil sends nothing.
    public var notify: (@Sendable (_ expression: String, _ alerts: [Alert]) -> Void)?
    /// Runs a LogQL rule expression at a time (ms) against the log store, for the groups of
    /// `log_rule_files`; nil when there is no log store (such files then fail to load).
    /// ``logQL(_:)`` makes one from a ``LogQLEngine``.
    public var logQuery: LogQuery?
    /// The results of a LogQL group's expressions, run before its synchronous evaluation by
    /// ``RuleGroup/prepare(at:environment:)``; nil for PromQL groups.
    var prefetched: [String: Result<[VectorSample], any Error>]?

    /// Evaluates a rule expression at a time (ms) to the samples a rule sees.
    public typealias LogQuery = @Sendable (_ expression: String, _ time: Int64) async throws -> [VectorSample]

    /// An environment over `tsdb`.
    public init(
        tsdb: TSDB, engine: Engine = Engine(), externalLabels: [String: String] = [:], externalURL: String = "",
        logger: Logger = Logger(label: "vigil.rules")
    ) {
        self.tsdb = tsdb
        self.engine = engine
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.logger = logger
    }

    /// Runs `query` at `time` (ms) as a rule does: a scalar becomes a one-element vector with no
    /// labels; a string is an error.
    func query(_ query: String, at time: Int64) throws -> [VectorSample] {
        if let prefetched {
            guard let result = prefetched[query] else {
                throw RuleEvaluationError("LogQL expression was not evaluated before the group")
            }
            return try result.get()
        }
        return try promQLQuery(query, at: time)
    }

    /// Runs PromQL `query` at `time` (ms) against the TSDB, as ``query(_:at:)`` does for PromQL rules.
    private func promQLQuery(_ query: String, at time: Int64) throws -> [VectorSample] {
        let result = try engine.instantQuery(query, time: time, querier: tsdb.querier())
        switch result.value {
        case .vector(let samples): return samples
        case .scalar(let t, let value): return [VectorSample(labels: .empty, timestamp: t, value: value)]
        case .string, .matrix: throw RuleEvaluationError("rule result is not a vector or scalar")
        }
    }

    /// The query function alert templates' `query` calls: PromQL against the TSDB in every
    /// group, LogQL groups included, so a LogQL alert's annotation can quote related metrics
    /// (and the series that LogQL recording rules wrote).
    var templateQuery: TemplateFunctions.QueryFunction {
        let environment = self
        return { text, time in
            try environment.promQLQuery(text, at: time).map { ($0.labels, $0.value) }
        }
    }

    /// A ``LogQuery`` running LogQL metric queries on `engine` at the rule's time: a vector's
    /// series become samples and a scalar a sample with no labels, as for PromQL rules.
    public static func logQL(_ engine: LogQLEngine) -> LogQuery {
        { expression, time in
            let response = try await engine.instantQuery(expression, time: time * 1_000_000)
            switch response.result {
            case .vector(let series):
                return series.compactMap { series in
                    series.points.last.map { VectorSample(labels: series.labels, timestamp: time, value: $0.value) }
                }
            case .scalar(let point):
                return [VectorSample(labels: .empty, timestamp: time, value: point.value)]
            case .streams, .matrix:
                throw RuleEvaluationError("rule result is not a vector or scalar")
            }
        }
    }
}

/// A rule evaluation that failed for a reason of the rule's own (not a query error).
struct RuleEvaluationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
