import VigilModel
import VigilTemplate

/// A pipeline ready to run: regexes compiled, templates parsed, line filters as byte searches.
/// Immutable and `Sendable`; one instance serves every line of a query.
final class CompiledPipeline: Sendable {
    enum Stage: Sendable {
        case lineFilter(CompiledLineFilter)
        case json([(label: String, path: JSONPath)])
        case logfmt(strict: Bool, keepEmpty: Bool, [(label: String, key: String)])
        case regexp(RegexpStage)
        case pattern(PatternMatcher)
        case unpack
        case labelFilter(CompiledLabelFilter)
        case lineFormat(Template)
        case labelFormat([(destination: String, template: Template?, source: String)])
        case drop([LabelSelectionItem])
        case keep([LabelSelectionItem])
        case decolorize
    }

    let stages: [Stage]
    /// Whether every stage is a line filter, so labels never change.
    let onlyLineFilters: Bool
    /// The filters of a pipeline of line filters alone, for the fast path.
    let lineFilters: [CompiledLineFilter]

    init(_ stages: [PipelineStage]) throws(LogQLEngineError) {
        var compiled: [Stage] = []
        for stage in stages {
            compiled.append(try Self.compile(stage))
        }
        self.stages = compiled
        let filters = compiled.compactMap { stage -> CompiledLineFilter? in
            if case .lineFilter(let filter) = stage { return filter }
            return nil
        }
        onlyLineFilters = filters.count == compiled.count
        lineFilters = onlyLineFilters ? filters : []
    }

    static func compile(_ stage: PipelineStage) throws(LogQLEngineError) -> Stage {
        do {
            switch stage {
            case .lineFilter(let filter): return .lineFilter(try CompiledLineFilter(filter))
            case .json(let parameters):
                return .json(try parameters.map { parameter throws(LogQLEngineError) in
                    guard let path = JSONPath(parameter.expression) else {
                        throw LogQLEngineError.badQuery("invalid json path \(GoQuote.quote(parameter.expression))")
                    }
                    return (parameter.label, path)
                })
            case .logfmt(let strict, let keepEmpty, let parameters):
                return .logfmt(strict: strict, keepEmpty: keepEmpty, parameters.map { ($0.label, $0.expression) })
            case .regexp(let pattern): return .regexp(try RegexpStage(pattern))
            case .pattern(let pattern): return .pattern(try PatternMatcher(pattern))
            case .unpack: return .unpack
            case .labelFilter(let filter): return .labelFilter(try CompiledLabelFilter(filter))
            case .lineFormat(let text): return .lineFormat(try LokiTemplates.parse(text))
            case .labelFormat(let items):
                return .labelFormat(try items.map { item in
                    switch item.value {
                    case .template(let text): return (item.destination, try LokiTemplates.parse(text), "")
                    case .rename(let source): return (item.destination, nil, source)
                    }
                })
            case .drop(let items): return .drop(items)
            case .keep(let items): return .keep(items)
            case .decolorize: return .decolorize
            }
        } catch let error as LogQLEngineError {
            throw error
        } catch {
            throw LogQLEngineError.badQuery("\(error)")
        }
    }

    /// Whether `line` passes every stage when they are all line filters (the fast path).
    @inline(__always)
    func passesLineFilters(_ line: UnsafeRawBufferPointer) -> Bool {
        for index in lineFilters.indices where !lineFilters[index].matches(line) { return false }
        return true
    }

    /// Whether the pipeline is `| json` alone, without parameters.
    var isBareJSON: Bool {
        guard stages.count == 1, case .json(let parameters) = stages[0] else { return false }
        return parameters.isEmpty
    }

    /// Whether the stages only filter lines and parse (`json`/`logfmt` without parameters), so a
    /// caller that needs a few labels at the end may ask the parsers for those alone.
    var labelHintsAllowed: Bool {
        stages.allSatisfy { stage in
            switch stage {
            case .lineFilter: true
            case .json(let parameters): parameters.isEmpty
            case .logfmt(_, _, let parameters): parameters.isEmpty
            default: false
            }
        }
    }

    /// Runs the pipeline on one entry: nil when a filter drops it, else the (possibly rewritten)
    /// line and its labels.
    ///
    /// With `wanted`, parsers only set those labels: the caller promises nothing downstream reads
    /// any other (see ``labelHintsAllowed``).
    func run(line original: [UInt8], timestamp: Int64, labels: inout LineLabels, wanted: Set<String>? = nil) -> [UInt8]? {
        var line = original
        for stage in stages {
            switch stage {
            case .lineFilter(let filter):
                guard line.withUnsafeBytes({ filter.matches($0) }) else { return nil }
            case .json(let parameters):
                line.withUnsafeBytes { bytes in
                    if parameters.isEmpty {
                        var reader = JSONFields(bytes)
                        do {
                            if let wanted {
                                try reader.flatten(wanted: wanted) { name, value in labels.setParsed(name, value) }
                            } else {
                                try reader.flatten { name, value in labels.setParsed(name, value) }
                            }
                        } catch {
                            labels.setError("JSONParserErr", details: "\(error)")
                        }
                    } else {
                        for parameter in parameters {
                            labels.setParsed(parameter.label, parameter.path.extract(from: bytes) ?? "")
                        }
                    }
                }
            case .logfmt(let strict, let keepEmpty, let parameters):
                line.withUnsafeBytes { bytes in
                    do {
                        if parameters.isEmpty {
                            try LogfmtFields.parse(bytes, strict: strict, keepEmpty: keepEmpty) { key, value in
                                let name = JSONFields.sanitize(key, prefix: true)
                                if wanted?.contains(name) ?? true { labels.setParsed(name, value) }
                            }
                        } else {
                            var found: [String: String] = [:]
                            try LogfmtFields.parse(bytes, strict: strict, keepEmpty: true) { key, value in found[key] = value }
                            for parameter in parameters { labels.setParsed(parameter.label, found[parameter.key] ?? "") }
                        }
                    } catch {
                        labels.setError("LogfmtParserErr", details: "\(error)")
                    }
                }
            case .regexp(let stage):
                stage.match(String(decoding: line, as: UTF8.self)) { name, value in labels.setParsed(name, value) }
            case .pattern(let matcher):
                line.withUnsafeBytes { bytes in matcher.match(bytes) { name, value in labels.setParsed(name, value) } }
            case .unpack:
                if let unpacked = unpack(line, &labels) { line = unpacked }
            case .labelFilter(let filter):
                guard filter.evaluate(&labels) else { return nil }
            case .lineFormat(let template):
                labels.materialize()
                do {
                    let text = try LokiTemplates.render(template, labels: labels.dictionary, line: line, timestamp: timestamp)
                    line = Array(text.utf8)
                } catch {
                    labels.setError("TemplateFormatErr", details: "\(error)")
                }
            case .labelFormat(let items):
                labels.materialize()
                let snapshot = labels.dictionary
                for item in items {
                    if let template = item.template {
                        do {
                            let text = try LokiTemplates.render(template, labels: snapshot, line: line, timestamp: timestamp)
                            labels.set(item.destination, text)
                        } catch {
                            labels.setError("TemplateFormatErr", details: "\(error)")
                        }
                    } else if let value = snapshot[item.source] {
                        labels.remove(item.source)
                        labels.set(item.destination, value)
                    }
                }
            case .drop(let items):
                labels.materialize()
                for item in items {
                    switch item {
                    case .name(let name): labels.remove(name)
                    case .matcher(let matcher):
                        if let value = labels[matcher.name], matcher.matches(value) { labels.remove(matcher.name) }
                    }
                }
            case .keep(let items):
                labels.materialize()
                for (name, value) in labels.dictionary {
                    let kept = items.contains { item in
                        switch item {
                        case .name(let kept): kept == name
                        case .matcher(let matcher): matcher.name == name && matcher.matches(value)
                        }
                    }
                    if !kept { labels.remove(name) }
                }
            case .decolorize:
                line = Decolorize.strip(line)
            }
        }
        return line
    }

    /// `| unpack`: a JSON object of strings; `_entry` becomes the line, the rest labels.
    private func unpack(_ line: [UInt8], _ labels: inout LineLabels) -> [UInt8]? {
        var entry: [UInt8]?
        line.withUnsafeBytes { bytes in
            var reader = JSONFields(bytes)
            do {
                try reader.flatten { name, value in
                    if name == "_entry" {
                        entry = Array(value.utf8)
                    } else {
                        labels.setParsed(name, value)
                    }
                }
            } catch {
                labels.setError("JSONParserErr", details: "\(error)")
            }
        }
        return entry
    }
}

/// One line filter, ready to run on bytes.
struct CompiledLineFilter: Sendable {
    enum Matcher: Sendable {
        case literal(ByteSearch.Needle)
        case regex(LineRegex)
        case ip(IPPattern)
    }

    let negated: Bool
    let alternatives: [Matcher]

    init(_ filter: LineFilterExpr) throws(LogQLEngineError) {
        negated = filter.op == .notContains || filter.op == .notMatches
        var alternatives: [Matcher] = []
        for value in filter.values {
            switch value {
            case .text(let text):
                if filter.op == .contains || filter.op == .notContains {
                    alternatives.append(.literal(ByteSearch.Needle(Array(text.utf8))))
                } else {
                    do { alternatives.append(.regex(try LineRegex(text))) } catch {
                        throw LogQLEngineError.badQuery(error.description)
                    }
                }
            case .ip(let pattern):
                guard let ip = IPPattern(pattern) else { throw LogQLEngineError.badQuery("invalid ip pattern \(pattern)") }
                alternatives.append(.ip(ip))
            }
        }
        self.alternatives = alternatives
    }

    @inline(__always)
    func matches(_ line: UnsafeRawBufferPointer) -> Bool {
        if alternatives.count == 1, case .literal(let needle) = alternatives[0] {
            return ByteSearch.contains(line, needle) != negated
        }
        var any = false
        for alternative in alternatives {
            let hit: Bool
            switch alternative {
            case .literal(let literal): hit = ByteSearch.contains(line, literal)
            case .regex(let regex): hit = regex.matches(line)
            case .ip(let pattern): hit = pattern.matchesAny(in: line)
            }
            if hit {
                any = true
                break
            }
        }
        return any != negated
    }
}

/// A label filter ready to run.
indirect enum CompiledLabelFilter: Sendable {
    case and(CompiledLabelFilter, CompiledLabelFilter)
    case or(CompiledLabelFilter, CompiledLabelFilter)
    case string(LabelMatcher)
    case numeric(String, ComparisonOperator, Double, Conversion)
    case ip(String, equal: Bool, IPPattern)

    enum Conversion: Sendable {
        case number, duration, bytes
    }

    init(_ expr: LabelFilterExpr) throws(LogQLEngineError) {
        switch expr {
        case .and(let lhs, let rhs): self = .and(try CompiledLabelFilter(lhs), try CompiledLabelFilter(rhs))
        case .or(let lhs, let rhs): self = .or(try CompiledLabelFilter(lhs), try CompiledLabelFilter(rhs))
        case .string(let matcher): self = .string(matcher)
        case .number(let name, let op, let value): self = .numeric(name, op, value, .number)
        case .duration(let name, let op, let value): self = .numeric(name, op, Double(value) / 1e9, .duration)
        case .bytes(let name, let op, let value, _): self = .numeric(name, op, value, .bytes)
        case .ip(let name, let equal, let pattern):
            guard let ip = IPPattern(pattern) else { throw LogQLEngineError.badQuery("invalid ip pattern \(pattern)") }
            self = .ip(name, equal: equal, ip)
        }
    }

    /// Whether the line stays. A value that does not convert keeps the line and sets
    /// `__error__=LabelFilterErr`, as Loki does, so `| __error__=""` can drop it.
    func evaluate(_ labels: inout LineLabels) -> Bool {
        switch self {
        case .and(let lhs, let rhs): return lhs.evaluate(&labels) && rhs.evaluate(&labels)
        case .or(let lhs, let rhs): return lhs.evaluate(&labels) || rhs.evaluate(&labels)
        case .string(let matcher): return matcher.matches(labels[matcher.name] ?? "")
        case .numeric(let name, let op, let expected, let conversion):
            if labels.hasError { return true }
            guard let text = labels[name] else { return false }
            guard let value = Self.convert(text, conversion) else {
                let kind: String
                switch conversion {
                case .number: kind = "strconv.ParseFloat: parsing \(GoQuote.quote(text)): invalid syntax"
                case .duration: kind = "time: invalid duration \(GoQuote.quote(text))"
                case .bytes: kind = "strconv.ParseFloat: parsing \(GoQuote.quote(text)): invalid syntax"
                }
                labels.setError("LabelFilterErr", details: kind)
                return true
            }
            return op.holds(value, expected)
        case .ip(let name, let equal, let pattern):
            guard let text = labels[name], let address = IPPattern.address(Substring(text)) else { return !equal }
            return pattern.contains(address) == equal
        }
    }

    static func convert(_ text: String, _ conversion: Conversion) -> Double? {
        switch conversion {
        case .number: return Parser.number(String(text.trimmingSpaces))
        case .duration: return GoDurationParser.parse(text).map { Double($0) / 1e9 }
        case .bytes: return ByteSizeParser.parse(text)
        }
    }
}
