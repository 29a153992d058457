import VigilModel
import VigilPromQL

/// A recording rule: stores its expression's result under a new metric name.
final class RecordingRule: Rule {
    let definition: RuleDefinition
    private let statusBox = RuleStatusBox()

    init(_ definition: RuleDefinition) {
        self.definition = definition
    }

    var status: RuleStatus { statusBox.value }

    func record(_ status: RuleStatus) { statusBox.set(status) }

    func evaluate(at time: Int64, queryOffset: Int64, limit: Int, environment: RuleEnvironment) throws -> [VectorSample] {
        let queryTime = time - queryOffset
        let result = try environment.query(definition.expr, at: queryTime)
        var samples: [VectorSample] = []
        samples.reserveCapacity(result.count)
        var seen = Set<Labels>()
        for sample in result {
            var builder = LabelsBuilder(sample.labels)
            builder.set(Labels.metricName, definition.name)
            for (name, value) in definition.labels {
                if value.isEmpty { builder.remove(name) } else { builder.set(name, value) }
            }
            let labels = builder.build()
            guard seen.insert(labels).inserted else {
                throw RuleEvaluationError("vector contains metrics with the same labelset after applying rule labels")
            }
            samples.append(VectorSample(labels: labels, timestamp: queryTime, value: sample.value))
        }
        if limit > 0 && samples.count > limit {
            throw RuleEvaluationError("exceeded limit of \(limit) with \(samples.count) series")
        }
        return samples
    }
}
