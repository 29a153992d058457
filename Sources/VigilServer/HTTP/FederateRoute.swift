import Hummingbird
import VigilConfig
import VigilExposition
import VigilModel
import VigilPromQL
import VigilTSDB

/// `GET /federate?match[]=…`: the latest sample of every selected series, in text format 0.0.4,
/// as Prometheus 2.42's federation endpoint serves it.
///
/// A series counts when its latest sample within the lookback delta before now is not a stale
/// marker. Samples carry their own timestamps; families are `untyped` and sorted by name. After a
/// series' own labels (sorted) come the server's external labels it lacks (sorted), and
/// `instance=""` when neither has an `instance`, exactly as Prometheus writes them. A bad selector
/// answers 400 with the parser's message; methods other than GET answer 405.
struct FederateRoute {
    let tsdb: TSDB
    let configManager: ConfigManager
    let lookbackDelta: Int64
    let maxBodyBytes: Int

    func register(on router: Router<BasicRequestContext>) {
        router.on("/federate", method: .get) { request, _ in
            do throws(APIError) {
                let parameters = try await APIParameters(request, maxBodyBytes: maxBodyBytes)
                let body = try await federate(parameters)
                return Response(
                    status: .ok, headers: [.contentType: ExpositionFormat.text.contentType],
                    body: .init(byteBuffer: ByteBuffer(bytes: body)))
            } catch {
                return PlainText.response(.badRequest, error.message + "\n")
            }
        }
        for method in [HTTPRequest.Method.post, .put, .delete, .patch] {
            router.on("/federate", method: method) { _, _ in
                var response = PlainText.response(.methodNotAllowed, "Method Not Allowed\n")
                response.headers[.allow] = "GET, OPTIONS"
                return response
            }
        }
    }

    func federate(_ parameters: APIParameters) async throws(APIError) -> [UInt8] {
        var selectors: [[LabelMatcher]] = []
        for selector in parameters.all("match[]") {
            do {
                selectors.append(try PromQL.parseMetricSelector(selector))
            } catch {
                throw APIError(.badData, "\(error)")
            }
        }
        var externalLabels = await configManager.current.global.externalLabels
        if externalLabels["instance"] == nil { externalLabels["instance"] = "" }
        let external = externalLabels.sorted { ByteOrder.less($0.key, $1.key) }
        let now = Timestamps.now()
        let mint = now - lookbackDelta
        var latest: [Labels: (timestamp: Int64, value: Double)] = [:]
        let querier = tsdb.querier(mint: mint, maxt: now)
        for matchers in selectors {
            let selected: [StoredSeries]
            do {
                selected = try querier.select(matchers, mint: mint, maxt: now)
            } catch {
                throw APIError(.internalError, error.message)
            }
            for series in selected where latest[series.labels] == nil {
                var iterator = series.makeIterator()
                var last: (timestamp: Int64, value: Double)? = nil
                while iterator.next() {
                    if iterator.timestamp > now { break }
                    if iterator.timestamp >= mint { last = (iterator.timestamp, iterator.value) }
                }
                if let last, !isStaleNaN(last.value) { latest[series.labels] = (last.timestamp, last.value) }
            }
        }
        let ordered = latest.keys.sorted { lhs, rhs in
            let left = lhs.name ?? "", right = rhs.name ?? ""
            return left != right ? ByteOrder.less(left, right) : lhs < rhs
        }
        var body: [UInt8] = []
        var family: String? = nil
        for labels in ordered {
            // Prometheus skips nameless series.
            guard let name = labels.name else { continue }
            if name != family {
                body.append(contentsOf: "# TYPE \(name) untyped\n".utf8)
                family = name
            }
            body.append(contentsOf: name.utf8)
            var separator = UInt8(ascii: "{")
            for label in labels where label.name != Labels.metricName {
                Self.appendLabel(label.name, label.value, separator: separator, to: &body)
                separator = UInt8(ascii: ",")
            }
            for (name, value) in external where labels[name] == nil {
                Self.appendLabel(name, value, separator: separator, to: &body)
                separator = UInt8(ascii: ",")
            }
            if separator == UInt8(ascii: ",") { body.append(UInt8(ascii: "}")) }
            let sample = latest[labels]!
            body.append(UInt8(ascii: " "))
            GoFloat.append(sample.value, to: &body)
            body.append(contentsOf: " \(sample.timestamp)\n".utf8)
        }
        return body
    }

    /// `<separator>name="value"` with the text format's escapes (`\\`, `\n`, `\"`).
    static func appendLabel(_ name: String, _ value: String, separator: UInt8, to body: inout [UInt8]) {
        body.append(separator)
        body.append(contentsOf: name.utf8)
        body.append(contentsOf: "=\"".utf8)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): body.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): body.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\""): body.append(contentsOf: "\\\"".utf8)
            default: body.append(byte)
            }
        }
        body.append(UInt8(ascii: "\""))
    }
}
