import VigilNodeAgent
import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VigilAlertmanager
import VigilConfig
import VigilModel
import VigilServer

/// `vigil silence`: add, list and expire silences through an Alertmanager's API v2 (Vigil's
/// embedded one or any Alertmanager), as `amtool silence` does.
struct SilenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence",
        abstract: "Add, list and expire Alertmanager silences (like amtool silence).",
        discussion: """
            Talks to the Alertmanager API v2 at --alertmanager.url: Vigil's embedded
            Alertmanager (the default, http://127.0.0.1:9470) or any Alertmanager.
            Matchers use Alertmanager's syntax (name=value, name!=value, name=~regex,
            name!~regex, quoted or bare); a first argument without an operator is the
            alert name.

            Examples:
              vigil silence add alertname=DiskFull 'instance=~"db-.*"' --comment "disk swap" --duration 2h
              vigil silence query
              vigil silence query --expired alertname=DiskFull
              vigil silence expire 8d1f0a7e-1b8c-4a55-9f45-3b4f5a2e1c11
            """,
        subcommands: [Add.self, Query.self, Expire.self]
    )

    /// The options every silence subcommand shares.
    struct Connection: ParsableArguments {
        @Option(name: .customLong("alertmanager.url"), help: "The Alertmanager's base URL.")
        var url = "http://127.0.0.1:9470"

        @Option(help: "Give up after this many seconds.")
        var timeout: Int64 = 30

        func validate() throws {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ValidationError("--alertmanager.url must be an http:// or https:// URL")
            }
        }

        /// Sends a request to `path`; returns the status and body, or exits 1 naming the failure.
        func send(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> (Int, String) {
            var request = HTTPClientRequest(url: url.trimmingSuffix("/") + path)
            request.method = method
            request.headers.add(name: "User-Agent", value: "vigil/\(BuildInfo.version)")
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body))
            }
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
                return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 64 << 20)))
            } catch {
                StandardError.write("vigil: request to \(url) failed: \(error)\n")
                throw VigilExit.failure
            }
        }

        /// Exits 1 with the API's message unless `status` is 2xx.
        func expectSuccess(_ status: Int, _ body: String, doing what: String) throws {
            guard !(200..<300).contains(status) else { return }
            let message = (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])) as? String
            let detail = message ?? body
            StandardError.write("vigil: \(what): HTTP \(status)\(detail.isEmpty ? "" : ": " + detail)\n")
            throw VigilExit.failure
        }
    }

    /// Parses matcher arguments as amtool does: a first argument without an operator names the alert.
    static func matchers(_ arguments: [String]) throws -> [LabelMatcher] {
        var matchers: [LabelMatcher] = []
        for (index, argument) in arguments.enumerated() {
            let text = index == 0 && !argument.contains(where: { "=!~{".contains($0) }) ? "alertname=\"\(argument)\"" : argument
            do {
                matchers += try AlertMatchers.parse(text)
            } catch {
                throw ValidationError("bad matcher \(GoQuote.quote(argument)): \(error.description) (at byte \(error.offset))")
            }
        }
        return matchers
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a silence; prints its ID.",
            discussion: """
                Examples:
                  vigil silence add DiskFull --comment "replacing the disk"
                  vigil silence add 'severity=~"warning|info"' cluster=eu --duration 30m --comment "noisy"
                  vigil silence add alertname=Deploy --start 2026-12-01T22:00:00Z --end 2026-12-01T23:00:00Z --comment "window"
                """)

        @OptionGroup var connection: Connection

        @Argument(help: "Matchers the silenced alerts must all satisfy.")
        var matchers: [String]

        @Option(help: "Why (required).")
        var comment: String

        @Option(help: "Who; default $USER.")
        var author: String?

        @Option(help: "How long, from --start (ignored with --end).")
        var duration = "1h"

        @Option(help: "When it starts (RFC 3339); default now.")
        var start: String?

        @Option(help: "When it ends (RFC 3339); default --start plus --duration.")
        var end: String?

        func run() async throws {
            let parsed = try SilenceCommand.matchers(matchers)
            guard !parsed.isEmpty else { throw ValidationError("no matchers given") }
            let startMS: Int64
            if let start {
                guard let value = RFC3339.parse(start) else { throw ValidationError("--start: not an RFC 3339 time: \(start)") }
                startMS = value
            } else {
                startMS = Timestamps.now()
            }
            let endMS: Int64
            if let end {
                guard let value = RFC3339.parse(end) else { throw ValidationError("--end: not an RFC 3339 time: \(end)") }
                endMS = value
            } else {
                do {
                    endMS = startMS + (try PromDuration(parsing: duration)).milliseconds
                } catch {
                    throw ValidationError("--duration: \(error)")
                }
            }
            guard endMS > startMS else { throw ValidationError("the silence would end before it starts") }
            let who = author ?? ProcessInfo.processInfo.environment["USER"] ?? "vigil"
            let body = "{\"matchers\":[" + parsed.map(Self.json).joined(separator: ",") + "],\"startsAt\":\""
                + RFC3339.format(milliseconds: startMS) + "\",\"endsAt\":\"" + RFC3339.format(milliseconds: endMS)
                + "\",\"createdBy\":" + JSONQuoting.quote(who) + ",\"comment\":" + JSONQuoting.quote(comment) + "}"
            let (status, response) = try await connection.send(.POST, "/api/v2/silences", body: body)
            try connection.expectSuccess(status, response, doing: "adding the silence")
            let object = (try? JSONSerialization.jsonObject(with: Data(response.utf8))) as? [String: Any]
            guard let id = object?["silenceID"] as? String else {
                StandardError.write("vigil: the Alertmanager's answer has no silenceID: \(response)\n")
                throw VigilExit.failure
            }
            print(id)
        }

        static func json(_ matcher: LabelMatcher) -> String {
            let isRegex = matcher.type == .regexMatch || matcher.type == .regexNoMatch
            let isEqual = matcher.type == .equal || matcher.type == .regexMatch
            return "{\"name\":" + JSONQuoting.quote(matcher.name) + ",\"value\":" + JSONQuoting.quote(matcher.value)
                + ",\"isRegex\":\(isRegex),\"isEqual\":\(isEqual)}"
        }
    }

    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List silences: active and pending ones, or expired ones with --expired.",
            discussion: """
                Examples:
                  vigil silence query
                  vigil silence query alertname=DiskFull
                  vigil silence query --expired --quiet
                """)

        @OptionGroup var connection: Connection

        @Argument(help: "Only silences with matchers like these.")
        var matchers: [String] = []

        @Flag(help: "Show expired silences instead of active and pending ones.")
        var expired = false

        @Flag(name: .shortAndLong, help: "Print only the IDs.")
        var quiet = false

        func run() async throws {
            let filter = try SilenceCommand.matchers(matchers)
            let query = filter.map { "filter=" + PercentEncoding.encode($0.description) }.joined(separator: "&")
            let (status, body) = try await connection.send(.GET, "/api/v2/silences" + (query.isEmpty ? "" : "?" + query))
            try connection.expectSuccess(status, body, doing: "listing silences")
            guard let silences = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [[String: Any]] else {
                StandardError.write("vigil: the Alertmanager's answer is not a list of silences\n")
                throw VigilExit.failure
            }
            let chosen = silences.filter { (($0["status"] as? [String: Any])?["state"] as? String == "expired") == expired }
            if quiet {
                for silence in chosen { print(silence["id"] as? String ?? "") }
                return
            }
            var rows = [["ID", "Matchers", "Ends At", "Created By", "Comment"]]
            for silence in chosen {
                let matchers = (silence["matchers"] as? [[String: Any]] ?? []).map { matcher -> String in
                    let op = (matcher["isEqual"] as? Bool ?? true ? "=" : "!") + (matcher["isRegex"] as? Bool ?? false ? "~" : "")
                    let text = (matcher["name"] as? String ?? "") + (op == "!" ? "!=" : op) + GoQuote.quote(matcher["value"] as? String ?? "")
                    return text
                }
                let ends = (silence["endsAt"] as? String).flatMap(RFC3339.parse).map(Self.humanTime) ?? ""
                rows.append([
                    silence["id"] as? String ?? "", matchers.joined(separator: " "), ends, silence["createdBy"] as? String ?? "",
                    silence["comment"] as? String ?? "",
                ])
            }
            print(Self.table(rows), terminator: "")
        }

        /// `2006-01-02 15:04:05 UTC`, as amtool prints times.
        static func humanTime(_ milliseconds: Int64) -> String {
            let text = RFC3339.format(milliseconds: milliseconds)
            return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(8)) + " UTC"
        }

        /// Columns padded to their widest cell plus two spaces.
        static func table(_ rows: [[String]]) -> String {
            var widths = [Int](repeating: 0, count: rows.first?.count ?? 0)
            for row in rows {
                for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
            }
            return rows.map { row in
                row.enumerated().map { index, cell in cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0) }
                    .joined()
            }.joined(separator: "\n") + "\n"
        }
    }

    struct Expire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Expire silences by ID.",
            discussion: """
                Examples:
                  vigil silence expire 8d1f0a7e-1b8c-4a55-9f45-3b4f5a2e1c11
                  vigil silence expire $(vigil silence query -q alertname=Deploy)
                """)

        @OptionGroup var connection: Connection

        @Argument(help: "The silences' IDs.")
        var ids: [String]

        func run() async throws {
            guard !ids.isEmpty else { throw ValidationError("no silence ID given") }
            for id in ids {
                let (status, body) = try await connection.send(.DELETE, "/api/v2/silence/" + PercentEncoding.encode(id))
                try connection.expectSuccess(status, body, doing: "expiring \(id)")
            }
        }
    }
}
