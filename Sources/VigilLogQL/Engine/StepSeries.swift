import VigilModel

/// A point of an intermediate series: the index of its step and its value.
struct StepPoint: Sendable {
    var step: Int
    var value: Double
}

/// An intermediate series during metric evaluation: labels and points at some of the steps
/// (sparse, in step order).
struct StepSeries: Sendable {
    var labels: Labels
    var points: [StepPoint]
}

/// The value of a metric sub-expression.
enum StepValue {
    /// A vector at each step.
    case vector([StepSeries])
    /// The same number at every step.
    case scalar(Double)
}

extension Grouping {
    /// The labels a series contributes to its group.
    func reduce(_ labels: Labels) -> Labels {
        if without {
            return Labels(labels.filter { !self.labels.contains($0.name) })
        }
        return Labels(labels.filter { self.labels.contains($0.name) })
    }

    /// Like ``reduce(_:)`` but keeping `__error__` and `__error_details__`, so a grouping pushed
    /// into sample extraction does not hide pipeline errors.
    func reduceKeepingErrors(_ labels: Labels) -> Labels {
        if without {
            return Labels(labels.filter { !self.labels.contains($0.name) })
        }
        return Labels(labels.filter {
            self.labels.contains($0.name) || $0.name == LineLabels.errorLabel || $0.name == LineLabels.errorDetailsLabel
        })
    }
}
