import Synchronization
import VigilModel

/// Groups the lines of stored blocks (``TemplatedLines``) by the labels `| json` gives them,
/// without rebuilding or parsing the lines: `sum by (status) (count_over_time({…} | json [5m]))`
/// reads each line's template number and the column that holds `status`.
///
/// Each distinct template of a stream is planned once (``JSONTemplatePlan``) into a flat
/// *recipe*, shared by the threads grouping blocks. A line whose template has no plan, whose
/// number-place variables fail their check, or that carries structured metadata is handed back
/// to be run through the pipeline as a whole line. The per-line loop reads flat buffers only: it
/// runs millions of times a second, where reference counting of nested arrays would cost more
/// than the work.
final class TemplatedJSONGrouping: Sendable {
    /// The labels the query keeps, sorted, and the set the parser is asked for.
    let hintNames: [String]
    let wanted: Set<String>
    private let recipes: Mutex<[Labels: [TemplateKey: Recipe?]]> = Mutex([:])

    init(hintNames: [String], wanted: Set<String>) {
        self.hintNames = hintNames
        self.wanted = wanted
    }

    /// What one block's lines came to.
    struct BlockGroups: Sendable {
        /// Lines grouped here: each group's kept labels and its lines' timestamps.
        var groups: [(labels: Labels, timestamps: [Int64])] = []
        /// Lines to run through the pipeline whole, with their bytes.
        var wholeLines: [(line: Int, bytes: [UInt8])] = []
        /// Line bytes of the lines grouped here.
        var groupedBytes = 0
    }

    /// A template's text as the head spells it: segment count, first segment's length and the
    /// bytes from the first segment to the last (the lengths between them included), hashed once.
    private struct TemplateKey: Hashable, Sendable {
        let hash: UInt64
        let shape: Int
        let bytes: ArraySlice<UInt8>

        init(_ head: TemplatedLines.Head, _ template: Int) {
            let bytes = head.templateBytes[head.span(template)]
            // Eight bytes a step: every template of every block is hashed to find its recipe.
            var hash = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
            bytes.withUnsafeBytes { raw in
                var index = 0
                while raw.count - index >= 8 {
                    hash = (hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))) &* 0xBF58_476D_1CE4_E5B9
                    hash ^= hash >> 29
                    index += 8
                }
                while index < raw.count {
                    hash = (hash ^ UInt64(raw[index])) &* 0x0000_0100_0000_01B3
                    index += 1
                }
            }
            self.hash = hash
            shape = head.variables(template) << 32 | head.segments[head.firstSegment[template]].count
            self.bytes = bytes
        }

        private init(hash: UInt64, shape: Int, bytes: ArraySlice<UInt8>) {
            self.hash = hash
            self.shape = shape
            self.bytes = bytes
        }

        /// The key with its own copy of the bytes, so the cache does not hold a block's head.
        var owned: TemplateKey { TemplateKey(hash: hash, shape: shape, bytes: ArraySlice(Array(bytes))) }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
        static func == (a: TemplateKey, b: TemplateKey) -> Bool { a.hash == b.hash && a.shape == b.shape && a.bytes == b.bytes }
    }

    /// How to read one template's lines: the variables in a number's place to check, then per
    /// kept label its pieces (`>= 0`: variable j; `-1, offset, count`: bytes of `pool`) ended by -2.
    private struct Recipe: Sendable {
        var checks: [Int] = []
        var ops: [Int] = []
        var pool: [UInt8] = []

        /// The variables its kept values read, in order (one read twice is listed twice).
        var variables: [Int] {
            var found: [Int] = []
            var position = 0
            while position < ops.count {
                if ops[position] == -1 {
                    position += 3
                    continue
                }
                if ops[position] >= 0 { found.append(ops[position]) }
                position += 1
            }
            return found
        }

        /// Whether every variable it reads is one of `columns` columns (a corrupt block may hold
        /// fewer than its templates name).
        func reads(below columns: Int) -> Bool {
            guard checks.allSatisfy({ $0 < columns }) else { return false }
            var position = 0
            while position < ops.count {
                if ops[position] == -1 {
                    position += 3
                    continue
                }
                if ops[position] >= columns { return false }
                position += 1
            }
            return true
        }
    }

    /// Groups by (template, value of its one variable) where the value is up to seven bytes,
    /// packed with its length in the top byte (so never 0): open addressing over flat arrays,
    /// with a multiply-shift hash (a `Dictionary` lookup cost more than the rest of the line).
    private struct ShortValues {
        private var templates: [Int32]
        private var values: [UInt64]
        private var groups: [Int32]
        private var count = 0
        private var shift: UInt64

        init() {
            templates = [Int32](repeating: -1, count: 64)
            values = [UInt64](repeating: 0, count: 64)
            groups = [Int32](repeating: 0, count: 64)
            shift = 64 - 6
        }

        @inline(__always)
        private func slot(_ template: Int, _ packed: UInt64) -> Int {
            Int(truncatingIfNeeded: ((packed ^ (UInt64(template) &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9) >> shift)
        }

        func find(_ template: Int, _ packed: UInt64) -> Int? {
            let mask = templates.count - 1
            var index = slot(template, packed)
            while templates[index] >= 0 {
                if templates[index] == Int32(template) && values[index] == packed { return Int(groups[index]) }
                index = (index + 1) & mask
            }
            return nil
        }

        mutating func insert(_ template: Int, _ packed: UInt64, _ group: Int) {
            if (count + 1) * 2 > templates.count { grow() }
            let mask = templates.count - 1
            var index = slot(template, packed)
            while templates[index] >= 0 { index = (index + 1) & mask }
            templates[index] = Int32(template)
            values[index] = packed
            groups[index] = Int32(group)
            count += 1
        }

        private mutating func grow() {
            let old = (templates, values, groups)
            templates = [Int32](repeating: -1, count: old.0.count * 2)
            values = [UInt64](repeating: 0, count: old.0.count * 2)
            groups = [Int32](repeating: 0, count: old.0.count * 2)
            shift -= 1
            count = 0
            for index in old.0.indices where old.0[index] >= 0 { insert(Int(old.0[index]), old.1[index], Int(old.2[index])) }
        }
    }

    /// Kept label values, each as its length (four bytes) then its bytes, hashed once.
    private struct GroupKey: Hashable {
        let hash: UInt64
        let bytes: [UInt8]

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
        static func == (a: GroupKey, b: GroupKey) -> Bool { a.hash == b.hash && a.bytes == b.bytes }
    }

    /// Groups the lines of `block` (of the stream labelled `streamLabels`) in its window. A block
    /// cut by the window's edge goes whole line by line, so its bytes are counted per line.
    func group(_ block: TemplatedLines, streamLabels: Labels) throws -> BlockGroups {
        let head = try block.head()
        var result = BlockGroups()
        guard head.lines == head.timestamps.indices else {
            for line in head.lines { result.wholeLines.append((line, try block.line(line))) }
            return result
        }
        // Each used template's recipe, copied into one flat block-local list.
        var recipeOf = [Int](repeating: -1, count: head.templateCount)
        var used = [Bool](repeating: false, count: head.templateCount)
        for template in head.lineTemplates { used[template] = true }
        var ops: [Int] = []
        var pool: [UInt8] = []
        var needed = [Bool](repeating: false, count: head.columnCount)
        // Per template: -2 when its kept values are all template text, j when they read variable j
        // alone, -1 otherwise. The first two are grouped by template (and short value) directly.
        var soleVariable = [Int](repeating: -1, count: head.templateCount)
        for template in 0..<head.templateCount where used[template] {
            guard let recipe = recipe(head, template, streamLabels), recipe.reads(below: head.columnCount) else { continue }
            recipeOf[template] = ops.count
            let checks = recipe.checks.filter { !head.digitsOnly[$0] }
            ops.append(checks.count)
            ops.append(contentsOf: checks)
            for variable in checks { needed[variable] = true }
            var position = 0
            while position < recipe.ops.count {
                let op = recipe.ops[position]
                if op == -1 {
                    ops.append(contentsOf: [-1, pool.count + recipe.ops[position + 1], recipe.ops[position + 2]])
                    position += 3
                } else {
                    if op >= 0 { needed[op] = true }
                    ops.append(op)
                    position += 1
                }
            }
            pool.append(contentsOf: recipe.pool)
            let variables = recipe.variables
            soleVariable[template] = variables.isEmpty ? -2 : (variables.count == 1 ? variables[0] : -1)
        }
        // The needed columns' values, flat: value of (column j, line i) at starts/ends[slot[j] * lines + i].
        let lineCount = head.lineTemplates.count
        var slotOf = [Int](repeating: -1, count: head.columnCount)
        var slots = 0
        for column in needed.indices where needed[column] {
            slotOf[column] = slots
            slots += 1
        }
        var arena: [UInt8] = []
        var starts = [Int32](repeating: -1, count: slots * lineCount)
        var ends = starts
        for column in needed.indices where needed[column] {
            let bytes = try block.columnBytes(column)
            let base = Int32(arena.count)
            let offset = slotOf[column] * lineCount
            arena.append(contentsOf: bytes)
            try TemplatedLines.forEachValue(of: column, in: bytes, head: head) { line, start, end in
                starts[offset + line] = base + start
                ends[offset + line] = base + end
            }
        }
        var groups: [GroupKey: Int] = [:]
        // Each line's group, -1 for lines run whole; timestamps are gathered per group after.
        // Written once a line in the loop below: raw buffers, which skip the uniqueness check
        // an array's element write makes.
        let lineGroups = UnsafeMutableBufferPointer<Int32>.allocate(capacity: lineCount)
        lineGroups.initialize(repeating: -1)
        defer { lineGroups.deallocate() }
        let constantGroup = UnsafeMutableBufferPointer<Int>.allocate(capacity: head.templateCount)
        constantGroup.initialize(repeating: -1)
        defer { constantGroup.deallocate() }
        var shortValues = ShortValues()
        let lastPacked = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: head.templateCount)
        lastPacked.initialize(repeating: 0)
        defer { lastPacked.deallocate() }
        let lastGroup = UnsafeMutableBufferPointer<Int>.allocate(capacity: head.templateCount)
        lastGroup.initialize(repeating: 0)
        defer { lastGroup.deallocate() }
        let slotOfColumn = slotOf
        var wholeLines: [Int] = []
        let hintCount = hintNames.count
        let hasMetadata = head.hasMetadata
        let lineTemplates = head.lineTemplates
        let timestamps = head.timestamps
        var key: [UInt8] = []
        var previousKey: [UInt8] = []
        var previousGroup = -1
        arena.withUnsafeBufferPointer { arena in
            starts.withUnsafeBufferPointer { starts in
                ends.withUnsafeBufferPointer { ends in
                    ops.withUnsafeBufferPointer { ops in
                        pool.withUnsafeBufferPointer { pool in
                            lines: for line in 0..<lineCount {
                                var position = recipeOf[lineTemplates[line]]
                                if position < 0 || (hasMetadata && !head.metadata(line).isEmpty) {
                                    wholeLines.append(line)
                                    continue
                                }
                                let checks = ops[position]
                                position += 1
                                for _ in 0..<checks {
                                    let slot = slotOfColumn[ops[position]] * lineCount + line
                                    position += 1
                                    guard starts[slot] >= 0,
                                        JSONTemplatePlan.isNumberText(
                                            UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: arena[Int(starts[slot])..<Int(ends[slot])])))
                                    else {
                                        wholeLines.append(line)
                                        continue lines
                                    }
                                }
                                let template = lineTemplates[line]
                                let sole = soleVariable[template]
                                var packed: UInt64 = 0
                                if sole == -2 {
                                    if constantGroup[template] >= 0 {
                                        lineGroups[line] = Int32(constantGroup[template])
                                        continue
                                    }
                                } else if sole >= 0 {
                                    let slot = slotOfColumn[sole] * lineCount + line
                                    let length = Int(ends[slot] - starts[slot])
                                    if starts[slot] >= 0 && length < 8 {
                                        packed = UInt64(length) << 56
                                        for offset in 0..<length { packed |= UInt64(arena[Int(starts[slot]) + offset]) << (8 * UInt64(offset)) }
                                        if lastPacked[template] == packed {
                                            lineGroups[line] = Int32(lastGroup[template])
                                            continue
                                        }
                                        if let known = shortValues.find(template, packed) {
                                            lastPacked[template] = packed
                                            lastGroup[template] = known
                                            lineGroups[line] = Int32(known)
                                            continue
                                        }
                                    }
                                }
                                key.removeAll(keepingCapacity: true)
                                for _ in 0..<hintCount {
                                    let lengthAt = key.count
                                    key.append(contentsOf: [0, 0, 0, 0])
                                    while ops[position] != -2 {
                                        if ops[position] == -1 {
                                            key.append(contentsOf: pool[ops[position + 1]..<ops[position + 1] + ops[position + 2]])
                                            position += 3
                                        } else {
                                            let slot = slotOfColumn[ops[position]] * lineCount + line
                                            if starts[slot] >= 0 { key.append(contentsOf: arena[Int(starts[slot])..<Int(ends[slot])]) }
                                            position += 1
                                        }
                                    }
                                    position += 1
                                    let length = key.count - lengthAt - 4
                                    for shift in 0..<4 { key[lengthAt + shift] = UInt8(truncatingIfNeeded: length >> (8 * shift)) }
                                }
                                // Neighbouring lines often share their values (most requests answer 200).
                                if previousGroup < 0 || key != previousKey {
                                    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
                                    for byte in key { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
                                    if let known = groups[GroupKey(hash: hash, bytes: key)] {
                                        previousGroup = known
                                    } else {
                                        previousGroup = result.groups.count
                                        groups[GroupKey(hash: hash, bytes: Array(key))] = previousGroup
                                        result.groups.append((Self.labels(key, hintNames), []))
                                    }
                                    previousKey.removeAll(keepingCapacity: true)
                                    previousKey.append(contentsOf: key)
                                }
                                lineGroups[line] = Int32(previousGroup)
                                if sole == -2 {
                                    constantGroup[template] = previousGroup
                                } else if packed != 0 {
                                    shortValues.insert(template, packed, previousGroup)
                                    lastPacked[template] = packed
                                    lastGroup[template] = previousGroup
                                }
                            }
                        }
                    }
                }
            }
        }
        var counts = [Int](repeating: 0, count: result.groups.count)
        for group in lineGroups where group >= 0 { counts[Int(group)] += 1 }
        for group in result.groups.indices { result.groups[group].timestamps.reserveCapacity(counts[group]) }
        for line in 0..<lineCount where lineGroups[line] >= 0 {
            result.groups[Int(lineGroups[line])].timestamps.append(timestamps[line])
        }
        result.groupedBytes = head.lineBytes
        for line in wholeLines {
            let bytes = try block.line(line)
            result.groupedBytes -= bytes.count
            result.wholeLines.append((line, bytes))
        }
        return result
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

    /// The recipe of `template` for lines of the stream `streamLabels`, planned on first use; nil
    /// when its lines must be parsed whole.
    private func recipe(_ head: TemplatedLines.Head, _ template: Int, _ streamLabels: Labels) -> Recipe? {
        let key = TemplateKey(head, template)
        if let known = recipes.withLock({ $0[streamLabels]?[key] }) { return known }
        let recipe = plan(head.segmentBytes(template), streamLabels)
        recipes.withLock { $0[streamLabels, default: [:]][key.owned] = recipe }
        return recipe
    }

    private func plan(_ segments: [[UInt8]], _ streamLabels: Labels) -> Recipe? {
        guard let plan = JSONTemplatePlan(segments: segments, wanted: wanted) else { return nil }
        var recipe = Recipe()
        recipe.checks = Array(Set(plan.numberChecks)).sorted()
        func appendBytes(_ bytes: [UInt8]) {
            recipe.ops.append(contentsOf: [-1, recipe.pool.count, bytes.count])
            recipe.pool.append(contentsOf: bytes)
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
                    case .variable(let variable): recipe.ops.append(variable)
                    }
                }
            } else {
                appendBytes(Array((streamLabels[name] ?? "").utf8))
            }
            recipe.ops.append(-2)
        }
        return recipe
    }
}
