/// What a relabeling step does (`action`); written case-insensitively in YAML.
public enum RelabelAction: String, Sendable, Hashable, CaseIterable, Decodable {
    /// Match `regex` against the joined source values and write `replacement` to `target_label`.
    case replace
    /// Drop the target or series unless `regex` matches.
    case keep
    /// Drop the target or series when `regex` matches.
    case drop
    /// Drop unless the joined source values equal `target_label`'s value.
    case keepEqual = "keepequal"
    /// Drop when the joined source values equal `target_label`'s value.
    case dropEqual = "dropequal"
    /// Set `target_label` to the MD5 of the joined source values modulo `modulus`.
    case hashmod
    /// Copy labels whose names match `regex` to names built from `replacement`.
    case labelmap
    /// Remove labels whose names match `regex`.
    case labeldrop
    /// Remove labels whose names do not match `regex`.
    case labelkeep
    /// Write the lower-cased joined source values to `target_label`.
    case lowercase
    /// Write the upper-cased joined source values to `target_label`.
    case uppercase

    /// Decodes an action name, ignoring case like Prometheus.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let action = RelabelAction(rawValue: text.lowercased()) else {
            throw ConfigValidationError("unknown relabel action \"\(text)\"")
        }
        self = action
    }
}

/// One relabeling step (`relabel_configs`, `metric_relabel_configs`, `write_relabel_configs`…).
///
/// Defaults are Prometheus's: separator `;`, regex `(.*)`, replacement `$1`, action `replace`.
/// Loading applies Prometheus's per-action rules (for example `hashmod` needs `modulus` and
/// `target_label`; `labeldrop` takes only `regex`).
public struct RelabelConfig: Sendable, Hashable, Decodable {
    /// Labels whose values are joined with ``separator`` to form the input.
    public var sourceLabels: [String]
    /// The string between joined source values (default `;`).
    public var separator: String
    /// The anchored expression matched against the input (default `(.*)`).
    public var regex: RelabelRegex
    /// The modulus for `hashmod`.
    public var modulus: UInt64
    /// The label written by `replace`, `hashmod`, `lowercase`, `uppercase`, or compared by `keepequal`/`dropequal`.
    public var targetLabel: String
    /// The value (or, for `labelmap`, the name) written; may use `$1`, `${name}` (default `$1`).
    public var replacement: String
    /// What the step does (default `replace`).
    public var action: RelabelAction

    /// Creates a step; arguments default as in Prometheus. Not validated: decode to validate.
    public init(
        sourceLabels: [String] = [], separator: String = ";", regex: RelabelRegex = .matchAll,
        modulus: UInt64 = 0, targetLabel: String = "", replacement: String = "$1",
        action: RelabelAction = .replace
    ) {
        self.sourceLabels = sourceLabels
        self.separator = separator
        self.regex = regex
        self.modulus = modulus
        self.targetLabel = targetLabel
        self.replacement = replacement
        self.action = action
    }

    enum CodingKeys: String, CodingKey {
        case sourceLabels = "source_labels"
        case separator, regex, modulus
        case targetLabel = "target_label"
        case replacement, action
    }

    /// Decodes a step and applies Prometheus's validation for its action.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sourceLabels = try container.list(.sourceLabels)
        let separator = try container.optional(.separator, as: String.self)
        let regex = try container.optional(.regex, as: RelabelRegex.self)
        let modulus = try container.optional(.modulus, as: UInt64.self)
        let replacement = try container.optional(.replacement, as: String.self)
        self.separator = separator ?? ";"
        self.regex = regex ?? .matchAll
        self.modulus = modulus ?? 0
        targetLabel = try container.value(.targetLabel, default: "")
        self.replacement = replacement ?? "$1"
        action = try container.value(.action, default: .replace)

        for (index, name) in sourceLabels.enumerated() where !LabelName.isValid(name) {
            throw ConfigValidationError("\"\(name)\" is not a valid label name", field: "source_labels", .index(index))
        }
        try validate(
            sourceLabelsSet: container.contains(.sourceLabels), regexSet: regex != nil,
            replacementSet: replacement != nil && replacement != "$1")
    }

    private func validate(sourceLabelsSet: Bool, regexSet: Bool, replacementSet: Bool) throws(ConfigValidationError) {
        let name = action.rawValue
        if action == .hashmod && modulus == 0 {
            throw ConfigValidationError("relabel configuration for hashmod requires non-zero modulus", field: "modulus")
        }
        let needsTarget: Set<RelabelAction> = [.replace, .hashmod, .lowercase, .uppercase, .keepEqual, .dropEqual]
        if needsTarget.contains(action) && targetLabel.isEmpty {
            throw ConfigValidationError(
                "relabel configuration for \(name) action requires 'target_label' value", field: "target_label")
        }
        let invalidTarget = ConfigValidationError(
            "\"\(targetLabel)\" is invalid 'target_label' for \(name) action", field: "target_label")
        switch action {
        case .replace:
            if targetLabel.contains("$") ? !LabelName.isValidTemplate(targetLabel) : !LabelName.isValid(targetLabel) {
                throw invalidTarget
            }
        case .lowercase, .uppercase, .keepEqual, .dropEqual, .hashmod:
            if !LabelName.isValid(targetLabel) { throw invalidTarget }
        default:
            break
        }
        let onlyTargetActions: Set<RelabelAction> = [.lowercase, .uppercase, .keepEqual, .dropEqual]
        if onlyTargetActions.contains(action) && replacementSet {
            throw ConfigValidationError("'replacement' can not be set for \(name) action", field: "replacement")
        }
        if action == .labelmap && !LabelName.isValidTemplate(replacement) {
            throw ConfigValidationError(
                "\"\(replacement)\" is invalid 'replacement' for \(name) action", field: "replacement")
        }
        if action == .keepEqual || action == .dropEqual {
            let extra: ConfigPathComponent? =
                regexSet ? "regex" : modulus != 0 ? "modulus" : separator != ";" ? "separator" : nil
            if let extra {
                throw ConfigValidationError(
                    "\(name) action requires only 'source_labels' and `target_label`, and no other fields",
                    field: extra)
            }
        }
        if action == .labeldrop || action == .labelkeep {
            let extra: ConfigPathComponent? =
                sourceLabelsSet ? "source_labels"
                : !targetLabel.isEmpty ? "target_label"
                : modulus != 0 ? "modulus"
                : separator != ";" ? "separator"
                : replacementSet ? "replacement" : nil
            if let extra {
                throw ConfigValidationError("\(name) action requires only 'regex', and no other fields", field: extra)
            }
        }
    }
}
