import VigilModel
import VigilConfig

/// An alert as a client posts it (`POST /api/v2/alerts`), before validation and defaults.
/// Times are nanoseconds since the epoch; nil stands for an absent or zero time.
public struct PostableAlert: Sendable, Hashable {
    /// Labels; empty values are dropped, as Alertmanager's API drops them.
    public var labels: [String: String]
    /// Annotations.
    public var annotations: [String: String]
    /// Start; nil means "now" (or the end, when only the end is given).
    public var startsAt: Int64?
    /// End; nil means "unknown": the alert is resolved after `resolve_timeout` unless re-sent.
    public var endsAt: Int64?
    /// The URL of the rule that produced it.
    public var generatorURL: String

    /// A posted alert.
    public init(
        labels: [String: String], annotations: [String: String] = [:], startsAt: Int64? = nil,
        endsAt: Int64? = nil, generatorURL: String = ""
    ) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }

    /// Applies the API's defaults (`updatedAt` = now, start, end from `resolve_timeout`) and
    /// validation (`types.Alert.Validate`); throws with Alertmanager's message.
    func accepted(now: Int64, resolveTimeout: Int64) throws(AlertValidationError) -> Alert {
        var start = startsAt ?? 0
        var end = endsAt ?? 0
        var timeout = false
        if start == 0 { start = end == 0 ? now : end }
        if end == 0 {
            timeout = true
            end = now + resolveTimeout
        }
        if end < start { throw AlertValidationError("start time must be before end time", labels: labels) }
        let kept = labels.filter { !$0.value.isEmpty }
        for name in kept.keys.sorted() where !LabelName.isValid(name) {
            throw AlertValidationError("invalid label set: invalid name \(GoQuote.quote(name))", labels: labels)
        }
        if kept.isEmpty { throw AlertValidationError("at least one label pair required", labels: labels) }
        for name in annotations.keys.sorted() where !LabelName.isValid(name) {
            throw AlertValidationError("invalid annotations: invalid name \(GoQuote.quote(name))", labels: labels)
        }
        return Alert(
            labels: Labels(dictionary: kept), annotations: Labels(dictionary: annotations),
            startsAt: start, endsAt: end, generatorURL: generatorURL, updatedAt: now, timeout: timeout)
    }
}

/// Why a posted alert was refused; ``description`` is Alertmanager's message.
public struct AlertValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// The labels of the refused alert, to say which one it was.
    public var labels: [String: String]

    /// An error about the alert with `labels`.
    public init(_ message: String, labels: [String: String]) {
        self.message = message
        self.labels = labels
    }

    /// The message.
    public var description: String { message }
}
