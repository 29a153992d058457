import VigilTemplate
public import VigilConfig

/// One rule as written in a rule file: a recording rule (`record`) or an alerting rule (`alert`).
///
/// Decoding validates it as Prometheus's `rulefmt` does, with Prometheus's messages: exactly one
/// of `record` and `alert`, a parseable `expr`, a valid metric name for a recording rule, no `for`,
/// `keep_firing_for` or `annotations` on a recording rule, valid label and annotation names, and
/// templates that parse.
public struct RuleDefinition: Sendable, Hashable, Decodable {
    /// Which of the two kinds a rule is.
    public enum Kind: Sendable, Hashable {
        /// `record: NAME`: the expression's result is stored as series named NAME.
        case recording
        /// `alert: NAME`: every element of the result is an alert named NAME.
        case alerting
    }

    /// Recording or alerting.
    public var kind: Kind
    /// The recorded metric name or the alert name.
    public var name: String
    /// The expression as written: PromQL, or LogQL in a `log_rule_files` file.
    public var expr: String
    /// How long an alert stays pending before it fires (alerting rules; zero otherwise).
    public var holdDuration: PromDuration
    /// How long an alert keeps firing after its condition clears (alerting rules; zero otherwise).
    public var keepFiringFor: PromDuration
    /// Labels added to every result (templated for alerting rules), sorted by name.
    public var labels: [String: String]
    /// Annotations of every alert (templated), alerting rules only.
    public var annotations: [String: String]

    /// A rule built in code, unvalidated; files are validated as they are decoded.
    public init(
        kind: Kind, name: String, expr: String, holdDuration: PromDuration = .zero,
        keepFiringFor: PromDuration = .zero, labels: [String: String] = [:], annotations: [String: String] = [:]
    ) {
        self.kind = kind
        self.name = name
        self.expr = expr
        self.holdDuration = holdDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
    }

    enum CodingKeys: String, CodingKey {
        case record, alert, expr
        case holdDuration = "for"
        case keepFiringFor = "keep_firing_for"
        case labels, annotations
    }

    /// Decodes and validates one entry of a group's `rules`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let record = try container.decodeIfPresent(String.self, forKey: .record) ?? ""
        let alert = try container.decodeIfPresent(String.self, forKey: .alert) ?? ""
        expr = try container.decodeIfPresent(String.self, forKey: .expr) ?? ""
        let hold = try container.decodeIfPresent(PromDuration.self, forKey: .holdDuration)
        let keep = try container.decodeIfPresent(PromDuration.self, forKey: .keepFiringFor)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        let annotationMap = try container.decodeIfPresent([String: String].self, forKey: .annotations)
        annotations = annotationMap ?? [:]
        holdDuration = hold ?? .zero
        keepFiringFor = keep ?? .zero

        switch (record.isEmpty, alert.isEmpty) {
        case (false, false):
            throw ConfigValidationError("only one of 'record' and 'alert' must be set", field: "record")
        case (true, true):
            throw ConfigValidationError("one of 'record' or 'alert' must be set")
        case (false, true):
            kind = .recording
            name = record
        case (true, false):
            kind = .alerting
            name = alert
        }
        if expr.isEmpty {
            throw ConfigValidationError("field 'expr' must be set in rule")
        }
        if let problem = RuleQueryLanguage.decoding.problem(with: expr) {
            throw ConfigValidationError("could not parse expression: \(problem)", field: "expr")
        }
        if kind == .recording {
            if annotationMap != nil && !annotations.isEmpty {
                throw ConfigValidationError("invalid field 'annotations' in recording rule", field: "annotations")
            }
            if hold != nil && hold != .zero {
                throw ConfigValidationError("invalid field 'for' in recording rule", field: "for")
            }
            if keep != nil && keep != .zero {
                throw ConfigValidationError("invalid field 'keep_firing_for' in recording rule", field: "keep_firing_for")
            }
            if !MetricName.isValid(record) {
                throw ConfigValidationError("invalid recording rule name: \(record)", field: "record")
            }
        }
        for name in labels.keys.sorted() {
            if !MetricName.isValidLabelName(name) || name == "__name__" {
                throw ConfigValidationError("invalid label name: \(name)", field: "labels", .key(name))
            }
        }
        for name in annotations.keys.sorted() where !MetricName.isValidLabelName(name) {
            throw ConfigValidationError("invalid annotation name: \(name)", field: "annotations", .key(name))
        }
        if kind == .alerting {
            for (field, kind, map) in [("labels", "label", labels), ("annotations", "annotation", annotations)] {
                for key in map.keys.sorted() {
                    do {
                        _ = try Template.parse(map[key] ?? "", name: "__alert_\(alert)")
                    } catch {
                        throw ConfigValidationError(
                            "\(kind) \"\(key)\": \(error.description)", field: .key(field), .key(key))
                    }
                }
            }
        }
    }
}

/// Prometheus's legacy name rules for metrics and labels.
enum MetricName {
    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isValid(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard isLetter || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || (isDigit && !first) else {
                return false
            }
            first = false
        }
        return !first
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isValidLabelName(_ name: String) -> Bool {
        !name.contains(":") && isValid(name)
    }
}
