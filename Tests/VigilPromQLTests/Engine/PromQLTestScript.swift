import VigilModel
import VigilPromQL
import VigilTSDB

/// A small interpreter for promqltest-style scripts (`load`, `clear`, `eval`, `eval_fail`,
/// `eval_ordered`), run against ``Engine`` over a fresh ``Head``.
struct PromQLTestScript {
    let text: String
    var engine = Engine(options: EngineOptions(maxSamples: 50_000_000, enableExperimentalFunctions: true))

    /// Runs the script; returns one message per failed expectation.
    func run() -> [String] {
        var failures: [String] = []
        var head = Head(options: HeadOptions())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        var index = 0
        func trimmed(_ s: String) -> String {
            String(s.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        }
        func block() -> [String] {
            var result: [String] = []
            while index < lines.count {
                let line = trimmed(lines[index])
                if line.isEmpty { break }
                index += 1
                if line.hasPrefix("#") { continue }
                result.append(line)
            }
            return result
        }
        while index < lines.count {
            let line = trimmed(lines[index])
            let lineNumber = index + 1
            index += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line == "clear" {
                head = Head(options: HeadOptions())
                continue
            }
            if line.hasPrefix("load ") {
                let step = parseDuration(String(line.dropFirst(5)))!
                var appender = head.appender()
                for seriesLine in block() {
                    guard let (labels, values) = parseSeries(seriesLine) else {
                        failures.append("line \(lineNumber): bad series \(seriesLine)")
                        continue
                    }
                    for (i, value) in values.enumerated() {
                        guard let value else { continue }
                        do {
                            _ = try appender.append(ref: nil, labels: labels, timestamp: Int64(i) * step, value: value)
                        } catch {
                            failures.append("line \(lineNumber): append failed: \(error)")
                        }
                    }
                }
                do { try appender.commit() } catch { failures.append("line \(lineNumber): commit failed: \(error)") }
                continue
            }
            guard line.hasPrefix("eval") else {
                failures.append("line \(lineNumber): unknown command \(line)")
                continue
            }
            let words = line.split(separator: " ", maxSplits: 1).map(String.init)
            let command = words[0]
            let rest = words.count > 1 ? words[1] : ""
            let expected = block()
            let querier = HeadQuerier(head: head)
            let result: Result<QueryResult, PromQLError>
            var isRange = false
            var rangeSteps: [Int64] = []
            let query: String
            if rest.hasPrefix("instant at ") {
                let tail = rest.dropFirst("instant at ".count)
                let parts = tail.split(separator: " ", maxSplits: 1).map(String.init)
                let time = parseDuration(parts[0])!
                query = parts.count > 1 ? parts[1] : ""
                result = Result { () throws(PromQLError) in try engine.instantQuery(query, time: time, querier: querier) }
            } else if rest.hasPrefix("range from ") {
                // range from <start> to <end> step <step> <expr>
                let parts = rest.split(separator: " ", maxSplits: 7).map(String.init)
                let start = parseDuration(parts[2])!, end = parseDuration(parts[4])!, step = parseDuration(parts[6])!
                query = parts.count > 7 ? parts[7] : ""
                isRange = true
                var t = start
                while t <= end { rangeSteps.append(t); t += step }
                result = Result { () throws(PromQLError) in
                    try engine.rangeQuery(query, start: start, end: end, step: step, querier: querier)
                }
            } else {
                failures.append("line \(lineNumber): bad eval \(line)")
                continue
            }
            let context = "line \(lineNumber): \(query)"
            if command == "eval_fail" {
                switch result {
                case .success: failures.append("\(context): expected failure")
                case .failure(let error):
                    for expectation in expected where expectation.hasPrefix("expected_fail_message ") {
                        let message = String(expectation.dropFirst("expected_fail_message ".count))
                        if error.message != message { failures.append("\(context): message \(error.message) != \(message)") }
                    }
                }
                continue
            }
            switch result {
            case .failure(let error):
                failures.append("\(context): unexpected error \(error.kind) \(error.message)")
            case .success(let value):
                if let failure = compare(value.value, expected: expected, ordered: command == "eval_ordered", isRange: isRange, steps: rangeSteps) {
                    failures.append("\(context): \(failure)")
                }
            }
        }
        return failures
    }

    func compare(_ value: QueryValue, expected: [String], ordered: Bool, isRange: Bool, steps: [Int64]) -> String? {
        switch value {
        case .scalar(_, let v):
            guard expected.count == 1, let want = parseNumber(expected[0]) else { return "got scalar \(v), expected \(expected)" }
            return valuesEqual(v, want) ? nil : "scalar \(v) != \(want)"
        case .string(_, let s):
            return expected == ["\"\(s)\""] || expected == [s] ? nil : "string \(s) != \(expected)"
        case .vector(let samples):
            var wanted: [(Labels, Double)] = []
            for line in expected {
                guard let (labels, values) = parseSeries(line), values.count == 1, let v = values[0] else { return "bad expectation \(line)" }
                wanted.append((labels, v))
            }
            if samples.count != wanted.count {
                return "got \(samples.count) samples, expected \(wanted.count): \(samples.map { "\($0.labels) \($0.value)" })"
            }
            for (position, (labels, v)) in wanted.enumerated() {
                let match: VectorSample? = ordered ? samples[position] : samples.first { $0.labels == labels }
                guard let match, match.labels == labels else { return "missing \(labels) (got \(samples.map { "\($0.labels) \($0.value)" }))" }
                if !valuesEqual(match.value, v) { return "\(labels): got \(match.value), expected \(v)" }
            }
            return nil
        case .matrix(let series):
            var wanted: [(Labels, [Double?])] = []
            for line in expected {
                guard let parsed = parseSeries(line) else { return "bad expectation \(line)" }
                wanted.append(parsed)
            }
            if series.count != wanted.count {
                return "got \(series.count) series, expected \(wanted.count): \(series.map { "\($0.labels) \($0.points.map(\.value))" })"
            }
            for (labels, values) in wanted {
                guard let match = series.first(where: { $0.labels == labels }) else { return "missing \(labels)" }
                var expectedPoints: [(Int64, Double)] = []
                for (i, v) in values.enumerated() where v != nil && i < steps.count { expectedPoints.append((steps[i], v!)) }
                if !isRange {
                    let got = match.points.map(\.value)
                    let want = values.compactMap { $0 }
                    if got.count != want.count || zip(got, want).contains(where: { !valuesEqual($0, $1) }) {
                        return "\(labels): got \(got), expected \(want)"
                    }
                    continue
                }
                if match.points.count != expectedPoints.count
                    || zip(match.points, expectedPoints).contains(where: { $0.timestamp != $1.0 || !valuesEqual($0.value, $1.1) })
                {
                    return "\(labels): got \(match.points.map { "\($0.timestamp):\($0.value)" }), expected \(expectedPoints.map { "\($0.0):\($0.1)" })"
                }
            }
            return nil
        }
    }

    func valuesEqual(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN && b.isNaN { return true }
        if a == b { return true }
        let diff = abs(a - b)
        let sum = abs(a) + abs(b)
        if a == 0 || b == 0 { return diff < 1e-6 * Double(bitPattern: 0x0010_0000_0000_0000) }
        return diff / sum < 1e-6
    }
}

/// `5m`, `1h30m`, `10s`, `100ms`, `0`, plain seconds.
func parseDuration(_ text: String) -> Int64? {
    if let seconds = Int64(text) { return seconds * 1000 }
    var total: Int64 = 0
    var number: Int64 = 0
    var sawDigit = false
    var chars = Array(text)[...]
    while let c = chars.first {
        if let digit = c.wholeNumberValue {
            number = number * 10 + Int64(digit)
            sawDigit = true
            chars = chars.dropFirst()
            continue
        }
        guard sawDigit else { return nil }
        let unit: Int64
        if chars.starts(with: "ms") { unit = 1; chars = chars.dropFirst(2) } else {
            switch c {
            case "s": unit = 1000
            case "m": unit = 60_000
            case "h": unit = 3_600_000
            case "d": unit = 86_400_000
            case "w": unit = 604_800_000
            case "y": unit = 31_536_000_000
            default: return nil
            }
            chars = chars.dropFirst()
        }
        total += number * unit
        number = 0
        sawDigit = false
    }
    return sawDigit ? nil : total
}

func parseNumber(_ text: String) -> Double? {
    switch text {
    case "NaN": return .nan
    case "Inf", "+Inf": return .infinity
    case "-Inf": return -.infinity
    case "stale": return StaleNaN.value
    default: return Double(text)
    }
}

/// `metric{l="v"} 1 2+3x4 _ stale` → labels and values (nil = missing).
func parseSeries(_ line: String) -> (Labels, [Double?])? {
    let chars = Array(line).map { $0 == "\t" ? " " : $0 }
    var end = 0
    var inBraces = false
    var inQuote = false
    while end < chars.count {
        let c = chars[end]
        if inQuote {
            if c == "\\" { end += 2; continue }
            if c == "\"" { inQuote = false }
        } else if c == "\"" {
            inQuote = true
        } else if c == "{" {
            inBraces = true
        } else if c == "}" {
            inBraces = false
            end += 1
            break
        } else if c == " " && !inBraces {
            break
        }
        end += 1
    }
    let metricText = String(chars[0..<end])
    let valuesText = String(chars[end...])
    var labels = Labels.empty
    if let number = parseNumber(metricText), valuesText.allSatisfy({ $0 == " " }) {
        return (.empty, [number])
    }
    do {
        let matchers = try PromQL.parseMetricSelector(metricText)
        var builder = LabelsBuilder()
        for matcher in matchers { builder.set(matcher.name, matcher.value) }
        labels = builder.build()
    } catch {
        return nil
    }
    var values: [Double?] = []
    for token in valuesText.split(separator: " ") {
        let token = String(token)
        if token == "_" { values.append(nil); continue }
        if token.hasPrefix("_x"), let n = Int(token.dropFirst(2)) { values.append(contentsOf: Array(repeating: nil, count: n)); continue }
        if let x = token.lastIndex(of: "x"), let times = Int(token[token.index(after: x)...]) {
            let base = String(token[..<x])
            var start = base
            var increment = 0.0
            if let opIndex = base.indices.dropFirst().last(where: { (base[$0] == "+" || base[$0] == "-") && base[base.index(before: $0)] != "e" }) {
                start = String(base[..<opIndex])
                guard let inc = parseNumber(String(base[base.index(after: opIndex)...])) else { return nil }
                increment = base[opIndex] == "-" ? -inc : inc
            }
            guard var value = parseNumber(start) else { return nil }
            for _ in 0...times {
                values.append(value)
                value += increment
            }
            continue
        }
        guard let value = parseNumber(token) else { return nil }
        values.append(value)
    }
    return (labels, values)
}
