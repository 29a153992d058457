import VigilModel

/// promtool's value notation for `input_series`: `1 2 3`, `1+2x3` (1 3 5 7), `5-1x2` (5 4 3),
/// `7x2` (7 7 7), `_` (no sample), `_x3` (three steps without samples), `stale`, `Inf`, `NaN`.
enum SeriesValues {
    struct NotationError: Error, CustomStringConvertible {
        let description: String
    }

    /// The value at each step; nil where there is no sample.
    static func parse(_ text: String) throws(NotationError) -> [Double?] {
        var values: [Double?] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            let word = String(token)
            if word == "_" {
                values.append(nil)
                continue
            }
            if word == "stale" {
                values.append(StaleNaN.value)
                continue
            }
            guard let x = word.lastIndex(of: "x"), x != word.startIndex else {
                values.append(try number(word))
                continue
            }
            guard let times = Int(word[word.index(after: x)...]), times >= 0 else {
                throw NotationError(description: "invalid repetition in \"\(word)\"")
            }
            let head = String(word[..<x])
            if head == "_" {
                values += Array(repeating: nil, count: times)
                continue
            }
            if head == "stale" {
                values += Array(repeating: StaleNaN.value, count: times + 1)
                continue
            }
            // `a+b` or `a-b`: the sign after the first character splits start and step.
            let scalars = Array(head)
            var split: Int?
            for index in 1..<max(1, scalars.count) where scalars[index] == "+" || scalars[index] == "-" {
                if scalars[index - 1] == "e" || scalars[index - 1] == "E" { continue }
                split = index
                break
            }
            if let split {
                let start = try number(String(scalars[..<split]))
                var step = try number(String(scalars[(split + 1)...]))
                if scalars[split] == "-" { step = -step }
                for i in 0...times { values.append(start + Double(i) * step) }
            } else {
                let value = try number(head)
                values += Array(repeating: value, count: times + 1)
            }
        }
        return values
    }

    private static func number(_ text: String) throws(NotationError) -> Double {
        switch text.lowercased() {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        default:
            guard let value = Double(text) else { throw NotationError(description: "invalid value \"\(text)\"") }
            return value
        }
    }
}
