import VigilModel

/// One entry of a log input's `processors:` list: a step applied to every line after its
/// framing (CRI/Docker joining) and before it is buffered, in the order listed (docs/LOGS.md).
public struct LogProcessorConfig: Sendable, Hashable, Decodable {
    /// What the step does.
    public enum Kind: Sendable, Hashable {
        /// Joins lines into one event (stack traces).
        case multiline(Multiline)
        /// Parses the line into fields.
        case parser(Parser)
        /// Adds labels and metadata fields (`type: add`).
        case add(labels: [String: String], metadata: [String: String])
        /// Removes labels and metadata fields (`type: drop`).
        case drop(labels: [String], metadata: [String])
        /// Renames labels and metadata fields, old name → new (`type: rename`).
        case rename(labels: [String: String], metadata: [String: String])
        /// Masks what a regex matches (`type: redact`).
        case redact(Redact)
        /// Adds Kubernetes pod metadata (`type: kubernetes`).
        case kubernetes(Kubernetes)
        /// Node-problem-detector rules on kernel lines (`type: kernel_problems`).
        case kernelProblems
    }

    /// `type: multiline`.
    public struct Multiline: Sendable, Hashable {
        /// Which lines start an event and which continue it.
        public enum Rule: Sendable, Hashable {
            /// Java stack traces (`at …`, `Caused by:`, `... N more`).
            case java
            /// Go panics (`panic:` / `goroutine N [...]:` and the frames after).
            case go
            /// Python tracebacks.
            case python
            /// Ruby backtraces.
            case ruby
            /// A line matching `start` starts an event; lines matching `continue` join it.
            case custom(start: String, continuation: String)
        }

        /// The rule.
        public var rule: Rule
        /// A held event is sent after this long without a line joining it (default 4s).
        public var flushTimeout: PromDuration
        /// An event reaching this many lines is sent, and the next line starts a new one (default 1000).
        public var maxLines: Int
        /// An event reaching this many bytes is sent likewise (default 256KiB).
        public var maxBytes: ByteSize
    }

    /// `type: json|logfmt|regex|nginx|kubernetes_audit`.
    public struct Parser: Sendable, Hashable {
        /// The line's syntax.
        public enum Format: Sendable, Hashable {
            /// One JSON object; nested objects flatten to `a_b` names.
            case json
            /// `key=value key2="quoted value"`.
            case logfmt
            /// A regex whose named captures are the fields (RE2 syntax).
            case regex(String)
            /// nginx access logs: `combined` or ingress-nginx's `upstreaminfo`.
            case nginx(NginxFormat)
            /// Kubernetes API server audit events (audit.k8s.io Event JSON).
            case kubernetesAudit
        }

        /// Which nginx `log_format`.
        public enum NginxFormat: String, Sendable, Hashable, Decodable {
            /// nginx's default `combined`.
            case combined
            /// ingress-nginx's default `upstreaminfo`.
            case ingress
        }

        /// Where fields go by default.
        public enum Target: String, Sendable, Hashable, Decodable {
            /// Structured metadata (default): kept with the line, not indexed.
            case metadata
            /// Labels: indexed; use for few, low-cardinality fields.
            case labels
            /// Nowhere: only `labels` fields and the timestamp are used.
            case none
        }

        /// The syntax.
        public var format: Format
        /// Where fields not named in `labels` go.
        public var target: Target
        /// Fields that become labels (names sanitised to label names).
        public var labels: [String]
        /// The field holding the line's time, if any.
        public var timestamp: Timestamp?
    }

    /// `timestamp: {field, format}` of a parser.
    public struct Timestamp: Sendable, Hashable {
        /// How a time is written.
        public enum Format: Sendable, Hashable {
            /// RFC 3339, with or without fractional seconds (`rfc3339`, `rfc3339nano`).
            case rfc3339
            /// Seconds since the epoch, maybe fractional (`unix`).
            case unixSeconds
            /// Milliseconds since the epoch (`unix_ms`).
            case unixMilliseconds
            /// Nanoseconds since the epoch (`unix_ns`).
            case unixNanoseconds
            /// A strftime-like layout: `%Y %m %d %H %M %S %f %z %b %e %j %%` (anything else literal).
            case layout(String)
        }

        /// The field's name.
        public var field: String
        /// Its format.
        public var format: Format
    }

    /// `type: redact`.
    public struct Redact: Sendable, Hashable {
        /// What to mask (RE2 syntax).
        public var pattern: String
        /// What replaces each match (default `****`); `$1`/`${name}` refer to groups.
        public var replacement: String
        /// Whether the line is masked (default true).
        public var line: Bool
        /// Labels and metadata fields masked too.
        public var fields: [String]
    }

    /// `type: kubernetes`.
    public struct Kubernetes: Sendable, Hashable {
        /// The node's name; empty means the `NODE_NAME` environment variable.
        public var nodeName: String
        /// Whether the pod's labels are added (as `pod_label_<name>` structured metadata; default true).
        public var podLabels: Bool
        /// Whether the pod's annotations are added (as `pod_annotation_<name>`; default false).
        public var podAnnotations: Bool
        /// Whether lines of pods annotated `vigil.dev/logs: "false"` or `fluentbit.io/exclude: "true"` are dropped (default true).
        public var honourExclude: Bool
    }

    /// The step.
    public var kind: Kind

    /// A step doing `kind`.
    public init(_ kind: Kind) {
        self.kind = kind
    }

    enum CodingKeys: String, CodingKey {
        case type, rule, start, flushTimeout = "flush_timeout", maxLines = "max_lines", maxBytes = "max_bytes"
        case pattern, format, target, labels, metadata, timestamp, replacement, line, fields
        case nodeName = "node_name", podLabels = "pod_labels", podAnnotations = "pod_annotations"
        case honourExclude = "exclude_annotations"
        case continuation = "continue"
        case field
    }

    /// Decodes by `type`, checking every regex against RE2's syntax.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type: String = try container.decode(String.self, forKey: .type)
        switch type {
        case "multiline":
            let ruleName: String? = try container.optional(.rule)
            let start: String? = try container.optional(.start)
            let continuation: String? = try container.optional(.continuation)
            let rule: Multiline.Rule
            switch (ruleName, start, continuation) {
            case ("java", nil, nil): rule = .java
            case ("go", nil, nil): rule = .go
            case ("python", nil, nil): rule = .python
            case ("ruby", nil, nil): rule = .ruby
            case (nil, let start?, let continuation?):
                try Self.checkRegex(start, field: "start")
                try Self.checkRegex(continuation, field: "continue")
                rule = .custom(start: start, continuation: continuation)
            case (let name?, nil, nil):
                throw ConfigValidationError("unknown multiline rule \"\(name)\" (java, go, python, ruby)", field: "rule")
            default:
                throw ConfigValidationError("a multiline step takes either `rule` or both `start` and `continue`")
            }
            let multiline = Multiline(
                rule: rule, flushTimeout: try container.value(.flushTimeout, default: .seconds(4)),
                maxLines: try container.value(.maxLines, default: 1000),
                maxBytes: try container.value(.maxBytes, default: ByteSize(bytes: 256 << 10)))
            guard multiline.maxLines >= 2 else { throw ConfigValidationError("max_lines must be at least 2", field: "max_lines") }
            guard multiline.maxBytes.bytes >= 1024 else {
                throw ConfigValidationError("max_bytes must be at least 1KiB", field: "max_bytes")
            }
            guard multiline.flushTimeout > .zero else {
                throw ConfigValidationError("flush_timeout must be positive", field: "flush_timeout")
            }
            kind = .multiline(multiline)
        case "json", "logfmt", "regex", "nginx", "kubernetes_audit":
            let format: Parser.Format
            switch type {
            case "json": format = .json
            case "logfmt": format = .logfmt
            case "regex":
                let pattern: String = try container.decode(String.self, forKey: .pattern)
                try Self.checkRegex(pattern, field: "pattern")
                guard pattern.contains("(?P<") || pattern.contains("(?<") else {
                    throw ConfigValidationError("a regex parser needs at least one named capture (?P<name>…)", field: "pattern")
                }
                format = .regex(pattern)
            case "nginx": format = .nginx(try container.value(.format, default: .combined))
            default: format = .kubernetesAudit
            }
            var timestamp: Timestamp?
            if container.contains(.timestamp) {
                let nested = try container.nestedContainer(keyedBy: CodingKeys.self, forKey: .timestamp)
                let field: String = try nested.decode(String.self, forKey: .field)
                let formatText: String = try nested.value(.format, default: "rfc3339")
                timestamp = Timestamp(field: field, format: try Self.timestampFormat(formatText))
            }
            kind = .parser(Parser(
                format: format, target: try container.value(.target, default: .metadata),
                labels: try container.list(.labels), timestamp: timestamp))
        case "add":
            let labels: [String: String] = try container.map(.labels)
            try validateLabels(labels, field: "labels")
            kind = .add(labels: labels, metadata: try container.map(.metadata))
        case "drop":
            kind = .drop(labels: try container.list(.labels), metadata: try container.list(.metadata))
        case "rename":
            let labels: [String: String] = try container.map(.labels)
            for (old, new) in labels.sorted(by: { $0.key < $1.key }) where !LabelName.isValid(new) || new.hasPrefix("__") {
                throw ConfigValidationError("invalid label name \"\(new)\"", field: "labels", .key(old))
            }
            kind = .rename(labels: labels, metadata: try container.map(.metadata))
        case "redact":
            let pattern: String = try container.decode(String.self, forKey: .pattern)
            try Self.checkRegex(pattern, field: "pattern")
            kind = .redact(Redact(
                pattern: pattern, replacement: try container.value(.replacement, default: "****"),
                line: try container.value(.line, default: true), fields: try container.list(.fields)))
        case "kubernetes":
            kind = .kubernetes(Kubernetes(
                nodeName: try container.value(.nodeName, default: ""),
                podLabels: try container.value(.podLabels, default: true),
                podAnnotations: try container.value(.podAnnotations, default: false),
                honourExclude: try container.value(.honourExclude, default: true)))
        case "kernel_problems":
            kind = .kernelProblems
        default:
            throw ConfigValidationError(
                "unknown processor type \"\(type)\" (multiline, json, logfmt, regex, nginx, kubernetes_audit, add, drop, "
                    + "rename, redact, kubernetes, kernel_problems)", field: "type")
        }
    }

    /// The timestamp format a `timestamp.format` value names (`rfc3339`, `unix_ms`, a %-layout, …).
    public static func timestampFormat(_ text: String) throws(ConfigValidationError) -> Timestamp.Format {
        switch text {
        case "rfc3339", "rfc3339nano", "RFC3339", "RFC3339Nano": return .rfc3339
        case "unix": return .unixSeconds
        case "unix_ms": return .unixMilliseconds
        case "unix_ns": return .unixNanoseconds
        default:
            guard text.contains("%") else {
                throw ConfigValidationError(
                    "unknown timestamp format \"\(text)\" (rfc3339, rfc3339nano, unix, unix_ms, unix_ns, or a %-layout)",
                    field: "timestamp", "format")
            }
            return .layout(text)
        }
    }

    /// Rejects what RE2 (Go's regexp) would reject, and what Swift's engine cannot compile.
    static func checkRegex(_ pattern: String, field: ConfigPathComponent) throws(ConfigValidationError) {
        if let violation = RE2Syntax.violation(in: pattern) {
            throw ConfigValidationError("invalid regex \"\(pattern)\": \(violation)", field: field)
        }
        do {
            _ = try Regex<AnyRegexOutput>(pattern)
        } catch {
            throw ConfigValidationError("invalid regex \"\(pattern)\": \(error)", field: field)
        }
    }
}

/// The `processors` key of an input other than files (kmsg, syslog, journal, http): every step
/// but `multiline`, which needs a file's offsets to hold a partial event across reads.
enum PushedInputProcessors {
    private enum CodingKeys: String, CodingKey {
        case processors
    }

    /// Reads and checks `processors`; call it before the input's own checks.
    static func decode(from decoder: any Decoder) throws -> [LogProcessorConfig] {
        let processors = try decoder.container(keyedBy: CodingKeys.self).list(.processors, of: LogProcessorConfig.self)
        for (index, processor) in processors.enumerated() {
            if case .multiline = processor.kind {
                throw ConfigValidationError(
                    "multiline is for file inputs only (this input's messages arrive whole)", field: "processors", .index(index))
            }
        }
        return processors
    }
}
