public import VigilConfig
public import VigilModel

/// Applies a list of relabeling steps (`relabel_configs`, `metric_relabel_configs`,
/// `write_relabel_configs`) exactly as Prometheus 2.53's `relabel.Process` does.
///
/// Steps run in order on a working copy of the labels; `keep`, `drop`, `keepequal` and
/// `dropequal` may drop the whole set, and a set left empty counts as dropped. Replacement
/// templates follow Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`, where a
/// reference's name is the longest run of letters, digits and `_` (so `$1x` names group `1x`).
public struct Relabeler: Sendable {
    /// The steps, in order.
    public let steps: [RelabelConfig]

    /// A relabeler running `steps` in order.
    public init(_ steps: [RelabelConfig]) {
        self.steps = steps
    }

    /// Whether there are no steps (the labels pass through unchanged).
    public var isEmpty: Bool { steps.isEmpty }

    /// The relabeled set, or `nil` when a step dropped it or no label is left.
    public func process(_ labels: Labels) -> Labels? {
        if steps.isEmpty { return labels }
        var working = WorkingLabels(labels)
        for step in steps {
            if !Self.apply(step, to: &working) { return nil }
        }
        let result = working.labels()
        return result.isEmpty ? nil : result
    }

    static func apply(_ step: RelabelConfig, to working: inout WorkingLabels) -> Bool {
        let value: String
        switch step.sourceLabels.count {
        case 0: value = ""
        case 1: value = working[step.sourceLabels[0]]
        default: value = step.sourceLabels.map { working[$0] }.joined(separator: step.separator)
        }
        switch step.action {
        case .drop:
            if step.regex.matches(value) { return false }
        case .keep:
            if !step.regex.matches(value) { return false }
        case .dropEqual:
            if working[step.targetLabel] == value { return false }
        case .keepEqual:
            if working[step.targetLabel] != value { return false }
        case .replace:
            guard let match = try? step.regex.regex.wholeMatch(in: value) else { break }
            let groups = CaptureGroups(match.output)
            let target = groups.expand(step.targetLabel)
            guard LabelNames.isValidLegacy(target) else { break }
            working[target] = groups.expand(step.replacement)
        case .lowercase:
            working[step.targetLabel] = value.lowercased()
        case .uppercase:
            working[step.targetLabel] = value.uppercased()
        case .hashmod:
            let digest = MD5.digest(value.utf8)
            // Prometheus keeps only the digest's last eight bytes, read big-endian.
            var tail: UInt64 = 0
            for byte in digest[8..<16] { tail = tail << 8 | UInt64(byte) }
            working[step.targetLabel] = String(tail % step.modulus)
        case .labelmap:
            for label in working.snapshot() {
                guard let match = try? step.regex.regex.wholeMatch(in: label.name) else { continue }
                working[CaptureGroups(match.output).expand(step.replacement)] = label.value
            }
        case .labeldrop:
            for label in working.snapshot() where step.regex.matches(label.name) {
                working[label.name] = ""
            }
        case .labelkeep:
            for label in working.snapshot() where !step.regex.matches(label.name) {
                working[label.name] = ""
            }
        }
        return true
    }
}

/// A mutable label set for relabeling: a missing label reads as `""`, writing `""` deletes.
struct WorkingLabels {
    private var values: [String: String]

    init(_ labels: Labels) {
        values = Dictionary(minimumCapacity: labels.count + 4)
        for label in labels { values[label.name] = label.value }
    }

    subscript(name: String) -> String {
        get { values[name] ?? "" }
        set {
            if newValue.isEmpty { values[name] = nil } else { values[name] = newValue }
        }
    }

    /// The labels as they are now, so a step can iterate while it edits.
    func snapshot() -> [Label] {
        values.map { Label(name: $0.key, value: $0.value) }
    }

    func labels() -> Labels {
        Labels(values.lazy.map { Label(name: $0.key, value: $0.value) })
    }
}

/// The groups of one regex match, and Go's template expansion over them.
struct CaptureGroups {
    private let output: AnyRegexOutput

    init(_ output: AnyRegexOutput) {
        self.output = output
    }

    private func group(named name: String) -> String {
        if let number = Int(name), name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard number < output.count, let substring = output[number].substring else { return "" }
            return String(substring)
        }
        guard let element = output[name], let substring = element.substring else { return "" }
        return String(substring)
    }

    /// `template` with `$` references replaced by the groups they name (missing groups are empty).
    func expand(_ template: String) -> String {
        guard template.utf8.contains(UInt8(ascii: "$")) else { return template }
        let bytes = Array(template.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 16)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "$") else {
                result.append(byte)
                index += 1
                continue
            }
            let next = index + 1
            if next < bytes.count && bytes[next] == UInt8(ascii: "$") {
                result.append(byte)
                index += 2
                continue
            }
            var name: ArraySlice<UInt8> = []
            var end = next
            if next < bytes.count && bytes[next] == UInt8(ascii: "{") {
                var close = next + 1
                while close < bytes.count && Self.isNameByte(bytes[close]) { close += 1 }
                if close < bytes.count && bytes[close] == UInt8(ascii: "}") && close > next + 1 {
                    name = bytes[(next + 1)..<close]
                    end = close + 1
                }
            } else {
                var stop = next
                while stop < bytes.count && Self.isNameByte(bytes[stop]) { stop += 1 }
                name = bytes[next..<stop]
                end = stop
            }
            if name.isEmpty {
                // Go treats a malformed reference as a literal `$`.
                result.append(byte)
                index += 1
                continue
            }
            result.append(contentsOf: group(named: String(decoding: name, as: UTF8.self)).utf8)
            index = end
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }
}

/// Label-name rules as Prometheus 2.x applies them to relabeling targets.
enum LabelNames {
    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isValidLegacy(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        guard first == 0x5F || (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A) else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
        }
    }
}
