/// The two text exposition formats Vigil reads and writes.
public enum ExpositionFormat: Sendable, Hashable {
    /// Prometheus text format 0.0.4.
    case text
    /// OpenMetrics 1.0 text.
    case openMetrics

    /// Picks the parser for a scrape response's `Content-Type`, as Prometheus does:
    /// `application/openmetrics-text` (any parameters) is OpenMetrics; anything else, including a
    /// missing header, is text 0.0.4.
    public init(contentType: String?) {
        guard let contentType else { self = .text; return }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        self = ExpositionFormat.trimmed(mediaType).lowercased() == "application/openmetrics-text" ? .openMetrics : .text
    }

    /// The `Content-Type` Prometheus clients send for this format.
    public var contentType: String {
        switch self {
        case .text: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// The `Accept` header Prometheus sends when scraping (OpenMetrics preferred, text fallback).
    public static let scrapeAcceptHeader =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    /// Chooses the format to serve for a request's `Accept` header, like client_golang's
    /// `NegotiateIncludingOpenMetrics`: media ranges are tried by descending q-value (ties keep
    /// header order); OpenMetrics only when explicitly asked for (version 1.0.0, 0.0.1 or none);
    /// text for `text/plain` with version 0.0.4 or none; otherwise text.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept else { return .text }
        var ranges: [(quality: Double, order: Int, format: ExpositionFormat?)] = []
        for (order, part) in accept.split(separator: ",").enumerated() {
            let fields = part.split(separator: ";", omittingEmptySubsequences: false)
            let mediaType = trimmed(fields.first ?? "").lowercased()
            var quality = 1.0
            var version: String?
            for parameter in fields.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard pair.count == 2 else { continue }
                let key = trimmed(pair[0]).lowercased()
                var value = trimmed(pair[1])
                if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                if key == "q" { quality = Double(value) ?? 0 }
                if key == "version" { version = value }
            }
            guard quality > 0 else { continue }
            var format: ExpositionFormat?
            if mediaType == "application/openmetrics-text" && (version == nil || version == "1.0.0" || version == "0.0.1") {
                format = .openMetrics
            } else if mediaType == "text/plain" && (version == nil || version == "0.0.4") {
                format = .text
            }
            ranges.append((quality, order, format))
        }
        ranges.sort { $0.quality != $1.quality ? $0.quality > $1.quality : $0.order < $1.order }
        for range in ranges { if let format = range.format { return format } }
        return .text
    }

    private static func trimmed(_ text: some StringProtocol) -> String {
        var scalars = Substring(text)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
