/// What `meta.json` says about a block: its identity, time range, size and lineage.
///
/// The fields and their JSON names follow Prometheus's `BlockMeta` (`tsdb/block.go`).
public struct BlockMeta: Sendable, Equatable {
    /// The block's identity and directory name.
    public var ulid: ULID
    /// First millisecond covered (inclusive).
    public var minTime: Int64
    /// End of the covered range (exclusive, like Prometheus).
    public var maxTime: Int64
    /// Counts of what the block holds.
    public var stats: Stats
    /// How the block came to be.
    public var compaction: Compaction
    /// The block format version (1).
    public var version: Int

    /// Counts of what a block holds.
    public struct Stats: Sendable, Equatable {
        /// Samples in all chunks.
        public var numSamples: Int
        /// Series in the index.
        public var numSeries: Int
        /// Chunks in the chunk segments.
        public var numChunks: Int
        /// Deleted intervals in the tombstones file.
        public var numTombstones: Int

        /// Stats with the given counts.
        public init(numSamples: Int = 0, numSeries: Int = 0, numChunks: Int = 0, numTombstones: Int = 0) {
            self.numSamples = numSamples
            self.numSeries = numSeries
            self.numChunks = numChunks
            self.numTombstones = numTombstones
        }
    }

    /// A block's lineage.
    public struct Compaction: Sendable, Equatable {
        /// 1 for a block cut from the head; one more than its highest parent after compaction.
        public var level: Int
        /// The level-1 blocks whose data this block holds (itself, for a level-1 block).
        public var sources: [ULID]
        /// The blocks compacted into this one.
        public var parents: [BlockDescriptor]
        /// Set on a block whose data was compacted away entirely; the DB deletes it.
        public var deletable: Bool

        /// A lineage record.
        public init(level: Int, sources: [ULID], parents: [BlockDescriptor] = [], deletable: Bool = false) {
            self.level = level
            self.sources = sources
            self.parents = parents
            self.deletable = deletable
        }
    }

    /// A parent block's identity and range.
    public struct BlockDescriptor: Sendable, Equatable {
        /// The parent's ULID.
        public var ulid: ULID
        /// The parent's first millisecond (inclusive).
        public var minTime: Int64
        /// The parent's end (exclusive).
        public var maxTime: Int64

        /// A descriptor.
        public init(ulid: ULID, minTime: Int64, maxTime: Int64) {
            self.ulid = ulid
            self.minTime = minTime
            self.maxTime = maxTime
        }
    }

    /// A meta record.
    public init(ulid: ULID, minTime: Int64, maxTime: Int64, stats: Stats, compaction: Compaction, version: Int = 1) {
        self.ulid = ulid
        self.minTime = minTime
        self.maxTime = maxTime
        self.stats = stats
        self.compaction = compaction
        self.version = version
    }

    /// Whether the block may hold samples in `[mint, maxt]` (inclusive query range).
    public func overlaps(mint: Int64, maxt: Int64) -> Bool {
        minTime <= maxt && mint < maxTime
    }

    /// The `meta.json` text.
    public var json: String {
        var out = "{\n"
        out += "\t\"ulid\": \"\(ulid)\",\n"
        out += "\t\"minTime\": \(minTime),\n"
        out += "\t\"maxTime\": \(maxTime),\n"
        out += "\t\"stats\": {\n"
        out += "\t\t\"numSamples\": \(stats.numSamples),\n"
        out += "\t\t\"numSeries\": \(stats.numSeries),\n"
        out += "\t\t\"numChunks\": \(stats.numChunks),\n"
        out += "\t\t\"numTombstones\": \(stats.numTombstones)\n"
        out += "\t},\n"
        out += "\t\"compaction\": {\n"
        out += "\t\t\"level\": \(compaction.level),\n"
        out += "\t\t\"sources\": [" + compaction.sources.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        if !compaction.parents.isEmpty {
            out += ",\n\t\t\"parents\": ["
            out += compaction.parents.map {
                "{\"ulid\": \"\($0.ulid)\", \"minTime\": \($0.minTime), \"maxTime\": \($0.maxTime)}"
            }.joined(separator: ", ")
            out += "]"
        }
        if compaction.deletable { out += ",\n\t\t\"deletable\": true" }
        out += "\n\t},\n"
        out += "\t\"version\": \(version)\n"
        out += "}\n"
        return out
    }

    /// Parses `meta.json` text; `file` names the file in the `.corruption` error.
    public init(json: String, file: String = "meta.json") throws(TSDBError) {
        func bad(_ what: String) -> TSDBError { TSDBError(.corruption, "\(file): \(what)") }
        var parser = BlockJSONParser(Array(json.utf8))
        let root: BlockJSONValue
        do { root = try parser.parseDocument() } catch { throw bad("invalid JSON at offset \(error.offset)") }
        guard case .object(let top) = root else { throw bad("not a JSON object") }
        func ulidField(_ object: [String: BlockJSONValue], _ key: String) throws(TSDBError) -> ULID {
            guard case .string(let text)? = object[key], let value = ULID(text) else { throw bad("missing or invalid \(key)") }
            return value
        }
        func intField(_ object: [String: BlockJSONValue], _ key: String, default fallback: Int64? = nil) throws(TSDBError) -> Int64 {
            guard case .number(let value)? = object[key] else {
                if let fallback { return fallback }
                throw bad("missing or invalid \(key)")
            }
            return value
        }
        ulid = try ulidField(top, "ulid")
        minTime = try intField(top, "minTime")
        maxTime = try intField(top, "maxTime")
        version = Int(try intField(top, "version", default: 1))
        var stats = Stats()
        if case .object(let object)? = top["stats"] {
            stats.numSamples = Int(try intField(object, "numSamples", default: 0))
            stats.numSeries = Int(try intField(object, "numSeries", default: 0))
            stats.numChunks = Int(try intField(object, "numChunks", default: 0))
            stats.numTombstones = Int(try intField(object, "numTombstones", default: 0))
        }
        self.stats = stats
        var compaction = Compaction(level: 1, sources: [])
        if case .object(let object)? = top["compaction"] {
            compaction.level = Int(try intField(object, "level", default: 1))
            if case .array(let sources)? = object["sources"] {
                for source in sources {
                    guard case .string(let text) = source, let value = ULID(text) else { throw bad("invalid source ULID") }
                    compaction.sources.append(value)
                }
            }
            if case .array(let parents)? = object["parents"] {
                for parent in parents {
                    guard case .object(let fields) = parent else { throw bad("invalid parent") }
                    compaction.parents.append(BlockDescriptor(
                        ulid: try ulidField(fields, "ulid"),
                        minTime: try intField(fields, "minTime"),
                        maxTime: try intField(fields, "maxTime")))
                }
            }
            if case .bool(let flag)? = object["deletable"] { compaction.deletable = flag }
        }
        self.compaction = compaction
    }
}

/// The subset of JSON `meta.json` uses: objects, arrays, strings, integers, booleans, null.
enum BlockJSONValue {
    case object([String: BlockJSONValue])
    case array([BlockJSONValue])
    case string(String)
    case number(Int64)
    case bool(Bool)
    case null
}

struct BlockJSONError: Error {
    let offset: Int
}

/// A small recursive-descent JSON parser (no Foundation in the library).
struct BlockJSONParser {
    let bytes: [UInt8]
    var position = 0
    var depth = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(BlockJSONError) -> BlockJSONValue {
        let value = try parseValue()
        skipSpace()
        guard position == bytes.count else { throw BlockJSONError(offset: position) }
        return value
    }

    mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func expect(_ literal: String) throws(BlockJSONError) {
        for byte in literal.utf8 {
            guard position < bytes.count, bytes[position] == byte else { throw BlockJSONError(offset: position) }
            position += 1
        }
    }

    mutating func parseValue() throws(BlockJSONError) -> BlockJSONValue {
        skipSpace()
        guard position < bytes.count else { throw BlockJSONError(offset: position) }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            depth += 1
            guard depth < 64 else { throw BlockJSONError(offset: position) }
            defer { depth -= 1 }
            position += 1
            var object: [String: BlockJSONValue] = [:]
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(object)
            }
            while true {
                skipSpace()
                let key = try parseString()
                skipSpace()
                try expect(":")
                object[key] = try parseValue()
                skipSpace()
                guard position < bytes.count else { throw BlockJSONError(offset: position) }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                try expect("}")
                return .object(object)
            }
        case UInt8(ascii: "["):
            depth += 1
            guard depth < 64 else { throw BlockJSONError(offset: position) }
            defer { depth -= 1 }
            position += 1
            var array: [BlockJSONValue] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(array)
            }
            while true {
                array.append(try parseValue())
                skipSpace()
                guard position < bytes.count else { throw BlockJSONError(offset: position) }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                try expect("]")
                return .array(array)
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        default:
            return .number(try parseInteger())
        }
    }

    mutating func parseInteger() throws(BlockJSONError) -> Int64 {
        let start = position
        var negative = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var magnitude: UInt64 = 0
        var digits = 0
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(bytes[position] - 0x30))
            guard !overflow1, !overflow2 else { throw BlockJSONError(offset: start) }
            magnitude = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw BlockJSONError(offset: start) }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw BlockJSONError(offset: start) }
            return magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw BlockJSONError(offset: start) }
        return Int64(magnitude)
    }

    mutating func parseString() throws(BlockJSONError) -> String {
        try expect("\"")
        var out: [UInt8] = []
        while true {
            guard position < bytes.count else { throw BlockJSONError(offset: position) }
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if byte == UInt8(ascii: "\\") {
                guard position < bytes.count else { throw BlockJSONError(offset: position) }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    // meta.json never needs non-ASCII escapes; accept the BMP ones simply.
                    guard position + 4 <= bytes.count,
                          let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(code) else { throw BlockJSONError(offset: position) }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    position += 4
                default: out.append(escaped)
                }
            } else {
                out.append(byte)
            }
        }
    }
}
