import VigilNodeAgent
import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VigilModel
import VigilServer

/// `vigil query`: run a PromQL query against a server's HTTP API, like `promtool query`.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run a PromQL query against a Vigil (or Prometheus) server.",
        discussion: """
            Without --range, an instant query at --time (default now). With --range, a range
            query from --start to --end every --step. Times are RFC 3339 or Unix seconds;
            steps are durations (15s, 1m) or seconds. Prints a table, or the API's JSON
            with --json. Exits 1 when the server answers with an error.

            Examples:
              vigil query 'up'
              vigil query --time 2026-01-01T00:00:00Z 'sum by (job) (rate(http_requests_total[5m]))'
              vigil query --range --start 2026-01-01T00:00:00Z --end 2026-01-01T01:00:00Z --step 1m 'up'
              vigil query --server http://prometheus:9090 --json 'count(up)'
            """
    )

    @Argument(help: "The PromQL expression.")
    var expression: String

    @Option(help: "The server's base URL.")
    var server = "http://127.0.0.1:9470"

    @Flag(help: "Run a range query (needs --start, --end, --step).")
    var range = false

    @Option(help: "Evaluation time of an instant query.")
    var time: String?

    @Option(help: "Start of a range query.")
    var start: String?

    @Option(help: "End of a range query.")
    var end: String?

    @Option(help: "Resolution of a range query.")
    var step: String?

    @Flag(help: "Print the API's JSON response unchanged.")
    var json = false

    @Option(help: "Give up after this many seconds.")
    var timeout: Int64 = 120

    func validate() throws {
        if range {
            guard start != nil, end != nil, step != nil else {
                throw ValidationError("--range needs --start, --end and --step")
            }
        } else if start != nil || end != nil || step != nil {
            throw ValidationError("--start, --end and --step need --range")
        }
        guard server.hasPrefix("http://") || server.hasPrefix("https://") else {
            throw ValidationError("--server must be an http:// or https:// URL")
        }
    }

    func run() async throws {
        var form = [("query", expression)]
        if range {
            form += [("start", start!), ("end", end!), ("step", step!)]
        } else if let time {
            form.append(("time", time))
        }
        let path = range ? "/api/v1/query_range" : "/api/v1/query"
        let (status, body) = try await FormEncoding.post(form, to: server.trimmingSuffix("/") + path, timeout: timeout)
        if json {
            print(body)
            if status >= 300 { throw VigilExit.failure }
            return
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            StandardError.write("vigil: \(server) answered HTTP \(status) with a body that is not the Prometheus API's JSON\n")
            throw VigilExit.failure
        }
        if object["status"] as? String != "success" {
            StandardError.write("vigil: \(object["errorType"] as? String ?? "error"): \(object["error"] as? String ?? body)\n")
            throw VigilExit.failure
        }
        for warning in object["warnings"] as? [String] ?? [] {
            StandardError.write("warning: \(warning)\n")
        }
        print(QueryTable.render(object["data"] as? [String: Any] ?? [:]), terminator: "")
    }
}

/// Plain-text rendering of query results: one line per series, `labels  value  time`.
enum QueryTable {
    static func render(_ data: [String: Any]) -> String {
        let result = data["result"]
        switch data["resultType"] as? String {
        case "scalar", "string":
            let pair = result as? [Any] ?? []
            return "\(pair.count > 1 ? "\(pair[1])" : "")\n"
        case "vector":
            var out = ""
            for sample in result as? [[String: Any]] ?? [] {
                let value = sample["value"] as? [Any] ?? []
                out += labels(sample["metric"]) + "  " + "\(value.count > 1 ? value[1] : "")" + "  @" + "\(value.first ?? "")" + "\n"
            }
            return out.isEmpty ? "(no data)\n" : out
        case "matrix":
            var out = ""
            for series in result as? [[String: Any]] ?? [] {
                out += labels(series["metric"]) + "\n"
                for point in series["values"] as? [[Any]] ?? [] where point.count > 1 {
                    out += "  \(point[1])  @\(point[0])\n"
                }
            }
            return out.isEmpty ? "(no data)\n" : out
        default:
            return "\(data)\n"
        }
    }

    private static func labels(_ metric: Any?) -> String {
        let map = metric as? [String: String] ?? [:]
        let name = map["__name__"] ?? ""
        let rest = map.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(JSONQuoting.quote($0.value))" }.joined(separator: ", ")
        return rest.isEmpty && !name.isEmpty ? name : name + "{" + rest + "}"
    }
}

/// `application/x-www-form-urlencoded` bodies, and posting them to a query API.
enum FormEncoding {
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }.joined(separator: "&")
    }

    /// POSTs `pairs` as a form to `url` and returns the status and body (at most 256 MiB); a request
    /// that fails is reported on stderr and exits 1.
    static func post(
        _ pairs: [(String, String)], to url: String, headers: [(String, String)] = [], timeout: Int64
    ) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "User-Agent", value: "vigil/\(BuildInfo.version)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: encode(pairs)))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
            let body = String(buffer: try await response.body.collect(upTo: 256 << 20))
            return (Int(response.status.code), body)
        } catch {
            StandardError.write("vigil: query to \(url) failed: \(error)\n")
            throw VigilExit.failure
        }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
