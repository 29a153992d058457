public import VigilModel

/// Which events reach the sinks. Every non-empty list must match; `exclude` lists win over
/// include lists. A `minimumType` of `Warning` passes only warnings, as kube-eventer's `level`.
public struct KubernetesEventFilter: Sendable {
    /// Namespaces to pass; empty passes all.
    public var namespaces: Set<String>
    /// Namespaces to drop.
    public var excludeNamespaces: Set<String>
    /// Kinds of the involved object to pass (`Pod`, `Node`); empty passes all.
    public var kinds: Set<String>
    /// Kinds to drop.
    public var excludeKinds: Set<String>
    /// Reasons to pass; empty passes all.
    public var reasons: Set<String>
    /// Reasons to drop.
    public var excludeReasons: Set<String>
    /// `Normal` passes everything, `Warning` only warnings (an unknown type ranks as `Normal`).
    public var minimumType: String
    /// Messages must contain a match of this RE2 pattern (unanchored); nil passes all.
    public let messageMatcher: LabelMatcher?
    /// Messages containing a match of this pattern are dropped.
    public let excludeMessageMatcher: LabelMatcher?

    /// A filter; the message patterns are RE2, matched anywhere in the message.
    ///
    /// - Throws: ``KubernetesEventsError/invalidPattern(field:pattern:reason:)`` naming the field.
    public init(
        namespaces: Set<String> = [], excludeNamespaces: Set<String> = [], kinds: Set<String> = [],
        excludeKinds: Set<String> = [], reasons: Set<String> = [], excludeReasons: Set<String> = [],
        minimumType: String = "Normal", message: String? = nil, excludeMessage: String? = nil
    ) throws(KubernetesEventsError) {
        self.namespaces = namespaces
        self.excludeNamespaces = excludeNamespaces
        self.kinds = kinds
        self.excludeKinds = excludeKinds
        self.reasons = reasons
        self.excludeReasons = excludeReasons
        guard Self.rank(minimumType) != nil else { throw .invalidLevel(minimumType) }
        self.minimumType = minimumType
        messageMatcher = try Self.matcher(field: "message", message)
        excludeMessageMatcher = try Self.matcher(field: "exclude_message", excludeMessage)
    }

    /// Whether `record` passes.
    public func passes(_ record: KubernetesEventRecord) -> Bool {
        if !namespaces.isEmpty && !namespaces.contains(record.namespace) { return false }
        if excludeNamespaces.contains(record.namespace) { return false }
        if !kinds.isEmpty && !kinds.contains(record.kind) { return false }
        if excludeKinds.contains(record.kind) { return false }
        if !reasons.isEmpty && !reasons.contains(record.reason) { return false }
        if excludeReasons.contains(record.reason) { return false }
        if (Self.rank(record.type) ?? 0) < (Self.rank(minimumType) ?? 0) { return false }
        if let messageMatcher, !messageMatcher.matches(record.message) { return false }
        if let excludeMessageMatcher, excludeMessageMatcher.matches(record.message) { return false }
        return true
    }

    static func rank(_ type: String) -> Int? {
        switch type {
        case "Normal", "": 0
        case "Warning": 1
        default: nil
        }
    }

    static func matcher(field: String, _ pattern: String?) throws(KubernetesEventsError) -> LabelMatcher? {
        guard let pattern else { return nil }
        do {
            // (?s) so a multi-line message matches as one string.
            return try LabelMatcher(.regexMatch, "message", "(?s).*(?:\(pattern)).*")
        } catch {
            throw .invalidPattern(field: field, pattern: pattern, reason: error.description)
        }
    }
}
