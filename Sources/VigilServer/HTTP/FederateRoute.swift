import Hummingbird
import VigilConfig
import VigilExposition
import VigilModel
import VigilPromQL
import VigilTSDB

/// `GET /federate?match[]=…`: the latest sample of every selected series, in text format 0.0.4,
/// as Prometheus's federation endpoint serves it.
///
/// A series counts when it has a sample within the lookback delta before now that is not a stale
/// marker. Samples carry their own timestamps; families are `untyped` and sorted by name; the
/// server's external labels are added to series that lack them.
struct FederateRoute {
    let tsdb: TSDB
    let configManager: ConfigManager
    let lookbackDelta: Int64
    let maxBodyBytes: Int

    func register(on router: Router<BasicRequestContext>) {
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/federate", method: method) { request, _ in
                do throws(APIError) {
                    let parameters = try await APIParameters(request, maxBodyBytes: maxBodyBytes)
                    let body = try await federate(parameters)
                    return Response(
                        status: .ok, headers: [.contentType: ExpositionFormat.text.contentType],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
                } catch {
                    return Response(
                        status: .badRequest, headers: [.contentType: "text/plain; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: error.message + "\n")))
                }
            }
        }
    }

    func federate(_ parameters: APIParameters) async throws(APIError) -> [UInt8] {
        let selectors = try parameters.matchers()
        let externalLabels = await configManager.current.global.externalLabels
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
        var families: [MetricFamily] = []
        let ordered = latest.keys.sorted { lhs, rhs in
            let left = lhs.name ?? "", right = rhs.name ?? ""
            return left != right ? left.utf8.lexicographicallyPrecedes(right.utf8) : lhs < rhs
        }
        for labels in ordered {
            let name = labels.name ?? ""
            var builder = LabelsBuilder(labels.withoutName)
            for (label, value) in externalLabels.sorted(by: { $0.key < $1.key }) where labels[label] == nil {
                builder.set(label, value)
            }
            let sample = MetricFamily.Sample(
                name: name, labels: builder.build(), value: latest[labels]!.value, timestamp: latest[labels]!.timestamp)
            if families.last?.name == name {
                families[families.count - 1].samples.append(sample)
            } else {
                families.append(MetricFamily(name: name, type: .unknown, samples: [sample]))
            }
        }
        return ExpositionWriter.write(families, format: .text)
    }
}
