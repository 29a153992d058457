import VigilModel

/// Groups the lines of stored blocks (``TemplatedLines``) by the labels `| json` gives them,
/// without rebuilding or parsing the lines: `sum by (status) (count_over_time({…} | json [5m]))`
/// reads each line's template number and the column that holds `status`.
///
/// Each template is planned once per block (``JSONTemplatePlan``); a line whose template has no
/// plan, whose number-place variables fail their check, or that carries structured metadata is
/// handed back to the caller to run through the pipeline as a whole line.
struct TemplatedJSONGrouping {
    /// The labels the query keeps, sorted, and the set the parser is asked for.
    let hintNames: [String]
    let wanted: Set<String>
    /// Group of each seen combination of the kept labels' values (each value's length as four
    /// bytes, then its bytes).
    private var groups: [[UInt8]: Int] = [:]
    private var key: [UInt8] = []

    init(hintNames: [String], wanted: Set<String>) {
        self.hintNames = hintNames
        self.wanted = wanted
    }

    /// Where a kept label's value comes from, for one template and stream.
    private enum Source {
        case fixed([UInt8])
        case parts([JSONTemplatePlan.Part])
    }

    private struct Resolved {
        var sources: [Source]
        /// Number-place variables whose column is not digits only: checked per line.
        var checks: [Int]
    }

    private enum Slot {
        case unknown
        case wholeLine
        case resolved(Resolved)
    }

    /// Visits the lines of `block` in its window: `counted(line, group)` for those placed here,
    /// with `group(labels)` asked once for each new combination of kept labels; `wholeLine(line)`
    /// for the rest.
    mutating func visit(
        _ block: TemplatedLines, streamLabels: Labels, group: (Labels) -> Int, counted: (Int, Int) throws -> Void,
        wholeLine: (Int) throws -> Void
    ) throws {
        var slots = [Slot](repeating: .unknown, count: block.templates.count)
        var columns = [TemplatedLines.Column?](repeating: nil, count: block.columnCount)
        func column(_ index: Int) throws -> TemplatedLines.Column {
            if let loaded = columns[index] { return loaded }
            let loaded = try block.column(index)
            columns[index] = loaded
            return loaded
        }
        lines: for line in block.lines {
            let template = block.lineTemplates[line]
            if case .unknown = slots[template] { slots[template] = plan(block, template, streamLabels) }
            guard case .resolved(let resolved) = slots[template], block.metadata[line].isEmpty else {
                try wholeLine(line)
                continue
            }
            for variable in resolved.checks {
                let values = try column(variable)
                guard let range = values.value(line),
                    values.bytes.withUnsafeBytes({ JSONTemplatePlan.isNumberText(UnsafeRawBufferPointer(rebasing: $0[range])) })
                else {
                    try wholeLine(line)
                    continue lines
                }
            }
            key.removeAll(keepingCapacity: true)
            for source in resolved.sources {
                let lengthAt = key.count
                key.append(contentsOf: [0, 0, 0, 0])
                switch source {
                case .fixed(let bytes): key.append(contentsOf: bytes)
                case .parts(let parts):
                    for part in parts {
                        switch part {
                        case .bytes(let bytes): key.append(contentsOf: bytes)
                        case .variable(let variable):
                            let values = try column(variable)
                            if let range = values.value(line) { key.append(contentsOf: values.bytes[range]) }
                        }
                    }
                }
                let length = key.count - lengthAt - 4
                for shift in 0..<4 { key[lengthAt + shift] = UInt8(truncatingIfNeeded: length >> (8 * shift)) }
            }
            if let known = groups[key] {
                try counted(line, known)
                continue
            }
            var labels: [Label] = []
            var start = 0
            for name in hintNames {
                var length = 0
                for shift in 0..<4 { length |= Int(key[start + shift]) << (8 * shift) }
                start += 4
                if length > 0 { labels.append(Label(name: name, value: String(decoding: key[start..<start + length], as: UTF8.self))) }
                start += length
            }
            let found = group(Labels(labels))
            groups[key] = found
            try counted(line, found)
        }
    }

    private func plan(_ block: TemplatedLines, _ template: Int, _ streamLabels: Labels) -> Slot {
        guard let plan = JSONTemplatePlan(segments: block.templates[template], wanted: wanted) else { return .wholeLine }
        // A parsed label the stream already has lands as `name_extracted` (LineLabels.setParsed).
        var sources: [Source] = []
        for name in hintNames {
            let field = plan.fields.last { field in
                (streamLabels[field.name] != nil ? field.name + "_extracted" : field.name) == name
            }
            if let field {
                sources.append(.parts(field.parts))
            } else {
                sources.append(.fixed(Array((streamLabels[name] ?? "").utf8)))
            }
        }
        let checks = plan.numberChecks.filter { $0 >= block.columnCount || !block.digitsOnly[$0] }
        guard checks.allSatisfy({ $0 < block.columnCount }) else { return .wholeLine }
        return .resolved(Resolved(sources: sources, checks: Array(Set(checks)).sorted()))
    }
}
