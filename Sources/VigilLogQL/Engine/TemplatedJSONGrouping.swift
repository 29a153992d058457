import VigilModel

/// Groups the lines of stored blocks (``TemplatedLines``) by the labels `| json` gives them,
/// without rebuilding or parsing the lines: `sum by (status) (count_over_time({…} | json [5m]))`
/// reads each line's template number and the column that holds `status`.
///
/// Each distinct template of a stream is planned once (``JSONTemplatePlan``) and its plan turned
/// into a flat recipe; a line whose template has no plan, whose number-place variables fail their
/// check, or that carries structured metadata is handed back to the caller to run through the
/// pipeline as a whole line. The per-line loop reads flat buffers only: it runs a million times
/// a second, where reference counting of nested arrays would cost more than the work.
struct TemplatedJSONGrouping {
    /// The labels the query keeps, sorted, and the set the parser is asked for.
    let hintNames: [String]
    let wanted: Set<String>

    /// Group of each seen combination of the kept labels' values.
    private var groups: [GroupKey: Int] = [:]
    private var key: [UInt8] = []

    /// Recipes of the current stream's templates, by template text: an offset into `recipes`,
    /// or -1 for "parse the whole line".
    private var planned: [TemplateKey: Int] = [:]
    private var plannedStream: Labels?
    /// Recipes, one after the other: the number of checked variables and their indexes, then per
    /// kept label its pieces (`>= 0`: variable j; `-1, offset, count`: bytes of `pool`) ended by -2.
    private var recipes: [Int] = []
    private var pool: [UInt8] = []

    init(hintNames: [String], wanted: Set<String>) {
        self.hintNames = hintNames
        self.wanted = wanted
    }

    /// A template's segments, hashed once.
    private struct TemplateKey: Hashable {
        let hash: UInt64
        let segments: [[UInt8]]

        init(_ segments: [[UInt8]]) {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for segment in segments {
                for byte in segment { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
                hash = (hash ^ 0x1FF) &* 0x0000_0100_0000_01B3
            }
            self.hash = hash
            self.segments = segments
        }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
        static func == (a: TemplateKey, b: TemplateKey) -> Bool { a.hash == b.hash && a.segments == b.segments }
    }

    /// Kept label values, each as its length (four bytes) then its bytes, hashed once.
    private struct GroupKey: Hashable {
        let hash: UInt64
        let bytes: [UInt8]

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
        static func == (a: GroupKey, b: GroupKey) -> Bool { a.hash == b.hash && a.bytes == b.bytes }
    }

    /// Visits the lines of `block` in its window: `counted(line, group)` for those placed here,
    /// with `group(labels)` asked once for each new combination of kept labels; `wholeLine(line)`
    /// for the rest.
    mutating func visit(
        _ block: TemplatedLines, streamLabels: Labels, group: (Labels) -> Int, counted: (Int, Int) throws -> Void,
        wholeLine: (Int) throws -> Void
    ) throws {
        if plannedStream != streamLabels {
            planned.removeAll()
            recipes.removeAll()
            pool.removeAll()
            plannedStream = streamLabels
        }
        // Each template's recipe, and the columns the recipes read.
        var recipeOf = [Int](repeating: -1, count: block.templates.count)
        var needed = [Bool](repeating: false, count: block.columnCount)
        var used = [Bool](repeating: false, count: block.templates.count)
        for template in block.lineTemplates { used[template] = true }
        for template in block.templates.indices where used[template] {
            let templateKey = TemplateKey(block.templates[template])
            let recipe: Int
            if let known = planned[templateKey] {
                recipe = known
            } else {
                recipe = plan(block.templates[template], streamLabels)
                planned[templateKey] = recipe
            }
            guard recipe >= 0 else { continue }
            var position = recipe
            let checks = recipes[position]
            position += 1
            var valid = true
            for _ in 0..<checks {
                let variable = recipes[position]
                position += 1
                if variable >= block.columnCount { valid = false } else if !block.digitsOnly[variable] { needed[variable] = true }
            }
            for _ in hintNames {
                while recipes[position] != -2 {
                    if recipes[position] == -1 {
                        position += 3
                    } else {
                        if recipes[position] >= block.columnCount { valid = false } else { needed[recipes[position]] = true }
                        position += 1
                    }
                }
                position += 1
            }
            if valid { recipeOf[template] = recipe }
        }
        // The needed columns' values, flat: value of (column j, line i) at
        // starts/ends[slotOf[j] * lines + i].
        let lineCount = block.lineTemplates.count
        var slotOf = [Int](repeating: -1, count: block.columnCount)
        var slots = 0
        for column in needed.indices where needed[column] {
            slotOf[column] = slots
            slots += 1
        }
        var arena: [UInt8] = []
        var starts = [Int32](repeating: -1, count: slots * lineCount)
        var ends = starts
        for column in needed.indices where needed[column] {
            let values = try block.column(column)
            let base = arena.count
            let offset = slotOf[column] * lineCount
            arena.append(contentsOf: values.bytes)
            for line in 0..<lineCount {
                if let range = values.value(line) {
                    starts[offset + line] = Int32(base + range.lowerBound)
                    ends[offset + line] = Int32(base + range.upperBound)
                }
            }
        }
        let hasMetadata = block.metadata.contains { !$0.isEmpty }
        let neededColumns = needed
        let slotOfColumn = slotOf
        let lineTemplates = block.lineTemplates
        let recipes = self.recipes
        let pool = self.pool
        var key = self.key
        var previousKey: [UInt8] = []
        var previousGroup = -1
        defer { self.key = key }
        try arena.withUnsafeBufferPointer { arena in
            try starts.withUnsafeBufferPointer { starts in
                try ends.withUnsafeBufferPointer { ends in
                    try recipes.withUnsafeBufferPointer { recipes in
                        try pool.withUnsafeBufferPointer { pool in
                            lines: for line in block.lines {
                                var position = recipeOf[lineTemplates[line]]
                                if position < 0 || (hasMetadata && !block.metadata[line].isEmpty) {
                                    try wholeLine(line)
                                    continue
                                }
                                let checks = recipes[position]
                                position += 1
                                for _ in 0..<checks {
                                    let variable = recipes[position]
                                    position += 1
                                    // A column not loaded is digits only: its values pass.
                                    guard neededColumns[variable] else { continue }
                                    let slot = slotOfColumn[variable] * lineCount + line
                                    guard starts[slot] >= 0,
                                        JSONTemplatePlan.isNumberText(
                                            UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: arena[Int(starts[slot])..<Int(ends[slot])])))
                                    else {
                                        try wholeLine(line)
                                        continue lines
                                    }
                                }
                                key.removeAll(keepingCapacity: true)
                                for _ in 0..<hintNames.count {
                                    let lengthAt = key.count
                                    key.append(contentsOf: [0, 0, 0, 0])
                                    while recipes[position] != -2 {
                                        if recipes[position] == -1 {
                                            key.append(contentsOf: pool[recipes[position + 1]..<recipes[position + 1] + recipes[position + 2]])
                                            position += 3
                                        } else {
                                            let slot = slotOfColumn[recipes[position]] * lineCount + line
                                            if starts[slot] >= 0 { key.append(contentsOf: arena[Int(starts[slot])..<Int(ends[slot])]) }
                                            position += 1
                                        }
                                    }
                                    position += 1
                                    let length = key.count - lengthAt - 4
                                    for shift in 0..<4 { key[lengthAt + shift] = UInt8(truncatingIfNeeded: length >> (8 * shift)) }
                                }
                                // Neighbouring lines often share their values (most requests answer 200).
                                if previousGroup >= 0 && key == previousKey {
                                    try counted(line, previousGroup)
                                    continue
                                }
                                var hash: UInt64 = 0xCBF2_9CE4_8422_2325
                                for byte in key { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
                                let groupKey = GroupKey(hash: hash, bytes: key)
                                let found: Int
                                if let known = groups[groupKey] {
                                    found = known
                                } else {
                                    found = group(Self.labels(key, hintNames))
                                    groups[GroupKey(hash: hash, bytes: Array(key))] = found
                                }
                                previousKey.removeAll(keepingCapacity: true)
                                previousKey.append(contentsOf: key)
                                previousGroup = found
                                try counted(line, found)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The kept labels a group key spells (empty values left out, as `LineLabels.build` does).
    private static func labels(_ key: [UInt8], _ names: [String]) -> Labels {
        var labels: [Label] = []
        var start = 0
        for name in names {
            var length = 0
            for shift in 0..<4 { length |= Int(key[start + shift]) << (8 * shift) }
            start += 4
            if length > 0 { labels.append(Label(name: name, value: String(decoding: key[start..<start + length], as: UTF8.self))) }
            start += length
        }
        return Labels(labels)
    }

    /// Appends the recipe of the template `segments` and returns its offset; -1 when its lines
    /// must be parsed whole.
    private mutating func plan(_ segments: [[UInt8]], _ streamLabels: Labels) -> Int {
        guard let plan = JSONTemplatePlan(segments: segments, wanted: wanted) else { return -1 }
        let offset = recipes.count
        let checks = Array(Set(plan.numberChecks)).sorted()
        recipes.append(checks.count)
        recipes.append(contentsOf: checks)
        func appendBytes(_ bytes: [UInt8]) {
            recipes.append(contentsOf: [-1, pool.count, bytes.count])
            pool.append(contentsOf: bytes)
        }
        for name in hintNames {
            // A parsed label the stream already has lands as `name_extracted` (LineLabels.setParsed).
            let field = plan.fields.last { field in
                (streamLabels[field.name] != nil ? field.name + "_extracted" : field.name) == name
            }
            if let field {
                for part in field.parts {
                    switch part {
                    case .bytes(let bytes): appendBytes(bytes)
                    case .variable(let variable): recipes.append(variable)
                    }
                }
            } else {
                appendBytes(Array((streamLabels[name] ?? "").utf8))
            }
            recipes.append(-2)
        }
        return offset
    }
}
