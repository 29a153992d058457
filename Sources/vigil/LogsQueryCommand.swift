import ArgumentParser
import Foundation
import VigilConfig
import VigilModel
import VigilServer

/// `vigil logs QUERY`: run a LogQL query against a server's Loki API, like `logcli query`.
struct LogsQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run a LogQL query against a Vigil (or Loki) server; the default of vigil logs.",
        discussion: """
            A log query prints matching lines, newest first unless --forward, at most --limit of
            them; a metric query prints its series like vigil query. --follow then streams new
            lines over the server's /loki/api/v1/tail WebSocket until interrupted (polling every
            second instead when the server answers 404 there, as an older Loki or a proxy may). Times are RFC 3339 or Unix
            seconds; --since is a duration before --to (default now).

            Output of log lines:
              wide  time, stream labels and line (the default)
              raw   the line alone
              json  one JSON object per line: {"timestamp","labels","line"}

            Examples:
              vigil logs '{app="api"} |= "error"'
              vigil logs --since 1h --output raw '{namespace="prod"} | json | status >= 500'
              vigil logs --follow '{job="ingress"}'
              vigil logs 'sum by (status) (count_over_time({job="ingress"} | json [5m]))'
              vigil logs --server http://loki:3100 --tenant team-a '{app="api"}'
            """
    )

    /// How log lines are printed.
    enum Output: String, ExpressibleByArgument, CaseIterable {
        case wide, raw, json
    }

    @Argument(help: "The LogQL query.")
    var query: String

    @Option(help: "The server's base URL.")
    var server = "http://127.0.0.1:9470"

    @Option(help: "How far back to look, before --to (a duration: 30m, 1h, 2d).")
    var since = "1h"

    @Option(help: "Start of the window (overrides --since).")
    var from: String?

    @Option(help: "End of the window (default now).")
    var to: String?

    @Option(help: "Resolution of a metric query (a duration; default the window over 250 points).")
    var step: String?

    @Option(help: "Most lines to print (not applied to --follow's later lines).")
    var limit = 30

    @Flag(help: "Oldest lines first.")
    var forward = false

    @Flag(help: "Keep printing new lines as they arrive (Loki's tail WebSocket).")
    var follow = false

    @Option(help: "How to print lines: wide, raw or json.")
    var output: Output = .wide

    @Option(help: "Tenant sent as X-Scope-OrgID.")
    var tenant: String?

    @Option(help: "Give up on one request after this many seconds.")
    var timeout: Int64 = 120

    func validate() throws {
        guard server.hasPrefix("http://") || server.hasPrefix("https://") else {
            throw ValidationError("--server must be an http:// or https:// URL")
        }
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
        guard LogsTime.duration(since) != nil else { throw ValidationError("--since must be a duration such as 30m or 1h") }
        if let step, (LogsTime.duration(step) ?? 0) <= 0 { throw ValidationError("--step must be a positive duration such as 15s") }
        if follow && to != nil { throw ValidationError("--follow reads up to now; drop --to") }
    }

    func run() async throws {
        let end = try to.map { try LogsTime.parse($0, name: "--to") } ?? LogsTime.now()
        var start = try from.map { try LogsTime.parse($0, name: "--from") } ?? (end - LogsTime.duration(since)!)
        guard end > start else { throw ValidationError("the window's end must be after its start") }
        // Metric queries are evaluated at start, start+step, …; aligning start on the end makes the
        // last point "now" rather than up to a step before it. Log queries ignore the step.
        let step = step.flatMap(LogsTime.duration) ?? max((end - start) / 250 / 1_000_000_000, 1) * 1_000_000_000
        start = end - (end - start) / step * step
        let first = try await fetch(
            start: start, end: end + 1, step: step, direction: forward ? "forward" : "backward", limit: limit)
        guard let streams = first.streams else {
            print(QueryTable.render(first.data), terminator: "")
            if follow { StandardError.write("vigil: --follow applies to log queries only\n") }
            return
        }
        let lines = LogLine.flatten(streams, newestFirst: !forward)
        for line in lines { print(render(line)) }
        guard follow else { return }
        var cursor = FollowCursor(after: lines, default: end)
        let output = output
        do {
            try await LogsTail(server: server, query: query, tenant: tenant, timeout: timeout).follow(from: cursor) { line in
                print(Self.render(line, output: output))
            }
            return
        } catch is LogsTail.NotServed {
            StandardError.write("vigil: \(server) does not serve /loki/api/v1/tail; polling every second instead\n")
        }
        // Poll forward from the newest line seen.
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(1))
            let next = try await fetch(start: cursor.timestamp, end: LogsTime.now() + 1, step: step, direction: "forward", limit: 5000)
            for line in LogLine.flatten(next.streams ?? [], newestFirst: false) where cursor.admit(line) {
                print(render(line))
            }
        }
    }

    private func render(_ line: LogLine) -> String { Self.render(line, output: output) }

    private static func render(_ line: LogLine, output: Output) -> String {
        switch output {
        case .raw:
            return line.line
        case .json:
            var out = "{\"timestamp\":" + JSONQuoting.quote(LogsTime.format(line.timestamp)) + ",\"labels\":{"
            out += line.labels.sorted { $0.key < $1.key }.map { JSONQuoting.quote($0.key) + ":" + JSONQuoting.quote($0.value) }
                .joined(separator: ",")
            return out + "},\"line\":" + JSONQuoting.quote(line.line) + "}"
        case .wide:
            let labels = line.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\(JSONQuoting.quote($0.value))" }
                .joined(separator: ", ")
            return LogsTime.format(line.timestamp) + " {" + labels + "} " + line.line
        }
    }

    /// One answer of `query_range`: its `data`, and its streams when it is a log query.
    private struct Answer {
        var data: [String: Any]
        var streams: [[String: Any]]?
    }

    private func fetch(start: Int64, end: Int64, step: Int64, direction: String, limit: Int) async throws -> Answer {
        let form = [
            ("query", query), ("start", String(start)), ("end", String(end)), ("step", String(Double(step) / 1e9)),
            ("direction", direction), ("limit", String(limit)),
        ]
        let (status, body) = try await FormEncoding.post(
            form, to: server.trimmingSuffix("/") + "/loki/api/v1/query_range",
            headers: tenant.map { [("X-Scope-OrgID", $0)] } ?? [], timeout: timeout)
        guard status < 300 else {
            // Loki answers errors in plain text.
            StandardError.write("vigil: HTTP \(status): \(body.trimmingCharacters(in: .whitespacesAndNewlines))\n")
            throw VigilExit.failure
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            object["status"] as? String == "success", let data = object["data"] as? [String: Any]
        else {
            StandardError.write("vigil: \(server) answered with a body that is not Loki's query JSON\n")
            throw VigilExit.failure
        }
        let streams = data["resultType"] as? String == "streams" ? (data["result"] as? [[String: Any]] ?? []) : nil
        return Answer(data: data, streams: streams)
    }
}

/// One printed log line, flattened out of Loki's streams.
struct LogLine {
    var timestamp: Int64
    var labels: [String: String]
    var line: String

    /// What tells two lines of the same nanosecond apart.
    var identity: String { labels.sorted { $0.key < $1.key }.description + "\u{0}" + line }

    /// Every line of `streams`, ordered by time across streams (ties by stream).
    static func flatten(_ streams: [[String: Any]], newestFirst: Bool) -> [LogLine] {
        var lines: [LogLine] = []
        for stream in streams {
            let labels = stream["stream"] as? [String: String] ?? [:]
            for value in stream["values"] as? [[Any]] ?? [] where value.count >= 2 {
                guard let text = value[0] as? String, let timestamp = Int64(text), let line = value[1] as? String else { continue }
                lines.append(LogLine(timestamp: timestamp, labels: labels, line: line))
            }
        }
        lines.sort { newestFirst ? $0.timestamp > $1.timestamp : $0.timestamp < $1.timestamp }
        return lines
    }
}

/// Times of the logs commands: nanoseconds since the epoch.
enum LogsTime {
    static func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1e9).rounded())
    }

    /// RFC 3339 or Unix seconds (fractions allowed).
    static func parse(_ text: String, name: String) throws -> Int64 {
        if let seconds = Double(text), seconds.isFinite { return Int64((seconds * 1e9).rounded()) }
        if let milliseconds = RFC3339.parse(text) { return milliseconds * 1_000_000 }
        throw ValidationError("\(name) must be RFC 3339 or Unix seconds, not \(text)")
    }

    /// A Prometheus-style duration (`90s`, `1h30m`, `2d`) in nanoseconds.
    static func duration(_ text: String) -> Int64? {
        guard let duration = try? PromDuration(parsing: text) else { return nil }
        return duration.milliseconds * 1_000_000
    }

    /// RFC 3339 with nanoseconds, UTC.
    static func format(_ nanoseconds: Int64) -> String {
        let milliseconds = nanoseconds >= 0 ? nanoseconds / 1_000_000 : (nanoseconds - 999_999) / 1_000_000
        let base = RFC3339.format(milliseconds: milliseconds)  // …T12:34:56.789Z
        let fraction = nanoseconds - milliseconds * 1_000_000
        guard base.hasSuffix("Z"), let dot = base.lastIndex(of: ".") else { return base }
        let digits = String(base[base.index(after: dot)..<base.index(before: base.endIndex)])
        let sub = String(fraction)
        return String(base[..<dot]) + "." + digits + String(repeating: "0", count: 6 - sub.count) + sub + "Z"
    }
}
