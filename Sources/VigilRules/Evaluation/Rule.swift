import Synchronization
import VigilPromQL

/// A rule of a group: evaluates its expression and returns the samples to write.
protocol Rule: AnyObject, Sendable {
    /// The rule as written.
    var definition: RuleDefinition { get }
    /// The last evaluation's outcome.
    var status: RuleStatus { get }
    /// Records an evaluation's outcome.
    func record(_ status: RuleStatus)
    /// Evaluates at `time` (ms) with queries at `time - queryOffset`; returns the samples to
    /// write (timestamped), or throws what becomes the rule's `lastError`.
    func evaluate(at time: Int64, queryOffset: Int64, limit: Int, environment: RuleEnvironment) throws -> [VectorSample]
}

/// The status storage every rule shares.
final class RuleStatusBox: Sendable {
    private let storage = Mutex(RuleStatus())

    var value: RuleStatus { storage.withLock { $0 } }

    func set(_ status: RuleStatus) { storage.withLock { $0 = status } }
}
