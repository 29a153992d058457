import VigilTemplate
public import Logging
import VigilModel
public import VigilPromQL
public import VigilTSDB

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
        let result = try engine.instantQuery(query, time: time, querier: tsdb.querier())
        switch result.value {
        case .vector(let samples): return samples
        case .scalar(let t, let value): return [VectorSample(labels: .empty, timestamp: t, value: value)]
        case .string, .matrix: throw RuleEvaluationError("rule result is not a vector or scalar")
        }
    }

    /// The query function alert templates' `query` calls.
    var templateQuery: TemplateFunctions.QueryFunction {
        let environment = self
        return { text, time in
            try environment.query(text, at: time).map { ($0.labels, $0.value) }
        }
    }
}

/// A rule evaluation that failed for a reason of the rule's own (not a query error).
struct RuleEvaluationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
