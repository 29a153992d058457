import VigilModel
import VigilNodeAgent
import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import NIOHTTP1
import VigilServer

/// Which lines `--follow` has printed: lines are new once past the newest timestamp seen, and
/// lines sharing that nanosecond are told apart by content.
struct FollowCursor: Sendable {
    var timestamp: Int64
    var seenAtTimestamp: Set<String>

    init(after lines: [LogLine], default end: Int64) {
        let newest = lines.map(\.timestamp).max() ?? end
        timestamp = newest
        seenAtTimestamp = Set(lines.filter { $0.timestamp == newest }.map(\.identity))
    }

    /// Whether `line` is new, remembering it if so.
    mutating func admit(_ line: LogLine) -> Bool {
        if line.timestamp < timestamp || (line.timestamp == timestamp && seenAtTimestamp.contains(line.identity)) { return false }
        if line.timestamp > timestamp {
            timestamp = line.timestamp
            seenAtTimestamp = []
        }
        seenAtTimestamp.insert(line.identity)
        return true
    }
}

/// `vigil logs --follow` over Loki's `/loki/api/v1/tail` WebSocket.
struct LogsTail {
    var server: String
    var query: String
    var tenant: String?
    var timeout: Int64

    /// The server does not serve tail (404: an older Loki, or a proxy in front): poll instead.
    struct NotServed: Error {}

    /// Streams new lines from `cursor` on to `print` until the server closes the socket.
    func follow(from cursor: FollowCursor, print: @escaping @Sendable (LogLine) -> Void) async throws {
        let base = server.trimmingSuffix("/")
        let url = (base.hasPrefix("https://") ? "wss://" + base.dropFirst(8) : "ws://" + base.dropFirst(7))
            + "/loki/api/v1/tail?" + FormEncoding.encode([("query", query), ("start", String(cursor.timestamp)), ("limit", "5000")])
        var headers = HTTPFields()
        if let tenant { headers[HTTPField.Name("X-Scope-OrgID")!] = tenant }
        headers[.userAgent] = "vigil/\(BuildInfo.version)"
        let close: WebSocketCloseFrame?
        do {
            close = try await WebSocketClient.connect(
                url: url, configuration: .init(maxFrameSize: 16 << 20, additionalHeaders: headers),
                logger: Logger(label: "vigil.logs.tail")
            ) { inbound, _, _ in
                var cursor = cursor
                for try await message in inbound.messages(maxSize: 64 << 20) {
                    guard case .text(let text) = message,
                        let frame = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                    else { continue }
                    for line in LogLine.flatten(frame["streams"] as? [[String: Any]] ?? [], newestFirst: false) where cursor.admit(line) {
                        print(line)
                    }
                    if let dropped = frame["dropped_entries"] as? [Any], !dropped.isEmpty {
                        StandardError.write("vigil: the server dropped \(dropped.count) lines this reader fell behind on\n")
                    }
                }
            }
        } catch let error as WebSocketClientError where error == .webSocketUpgradeFailed {
            try await explainRefusedUpgrade(url: base + "/loki/api/v1/tail?" + FormEncoding.encode([("query", query)]))
            return
        }
        if let close, close.closeCode != .normalClosure {
            StandardError.write("vigil: the server ended the tail: \(close.reason ?? "\(close.closeCode)")\n")
            throw VigilExit.failure
        }
    }

    /// Asks the tail route over plain HTTP why the upgrade failed: 404 means it is not served.
    private func explainRefusedUpgrade(url: String) async throws {
        var request = HTTPClientRequest(url: url)
        if let tenant { request.headers.add(name: "X-Scope-OrgID", value: tenant) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
        if response.status == .notFound { throw NotServed() }
        let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
        StandardError.write("vigil: tail refused, HTTP \(response.status.code): \(body.trimmingCharacters(in: .whitespacesAndNewlines))\n")
        throw VigilExit.failure
    }
}
