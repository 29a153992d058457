import VigilModel

/// The `GET /api/v1/events` answer, independent of the HTTP server that mounts it: query
/// parameters `namespace`, `kind`, `object`, `reason`, `type`, `start`, `end` (RFC 3339 or Unix
/// seconds) and `limit`; the body is `{"status":"success","data":[event…]}` as the other
/// `/api/v1` routes, or a 400 with `"errorType":"bad_data"` naming the parameter.
public enum KubernetesEventsAPI {
    /// The status and JSON body for `parameters` against `store`.
    public static func respond(to parameters: [String: String], store: KubernetesEventStore) async -> (status: Int, body: String) {
        let query: KubernetesEventQuery
        do {
            query = try parse(parameters)
        } catch {
            return (400, #"{"status":"error","errorType":"bad_data","error":\#(JSONQuoting.quote(error.message))}"#)
        }
        do {
            let records = try await store.search(query)
            return (200, #"{"status":"success","data":["# + records.map(EventText.json).joined(separator: ",") + "]}")
        } catch {
            return (500, #"{"status":"error","errorType":"internal","error":\#(JSONQuoting.quote("\(error)"))}"#)
        }
    }

    struct BadParameter: Error {
        let message: String
    }

    static func parse(_ parameters: [String: String]) throws(BadParameter) -> KubernetesEventQuery {
        func time(_ name: String) throws(BadParameter) -> Int64? {
            guard let text = parameters[name] else { return nil }
            if let milliseconds = RFC3339.parse(text) { return milliseconds }
            if let seconds = Double(text), seconds.isFinite, abs(seconds) < 1e12 { return Int64((seconds * 1000).rounded()) }
            throw BadParameter(message: "invalid parameter \"\(name)\": cannot parse \(JSONQuoting.quote(text)) as a time")
        }
        var limit = 1000
        if let text = parameters["limit"] {
            guard let value = Int(text), value >= 0, value <= 100_000 else {
                throw BadParameter(message: "invalid parameter \"limit\": \(JSONQuoting.quote(text)) is not a count from 0 to 100000")
            }
            limit = value
        }
        return KubernetesEventQuery(
            namespace: parameters["namespace"], kind: parameters["kind"], object: parameters["object"],
            reason: parameters["reason"], type: parameters["type"], start: try time("start"), end: try time("end"), limit: limit)
    }
}
