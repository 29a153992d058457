import Foundation
import NIOCore
import NIOPosix

/// Asks DNS servers over UDP, following `/etc/resolv.conf` (nameservers, `search`, `ndots`) the
/// way Prometheus's DNS discovery does.
public struct DNSResolver: Sendable {
    /// Servers as `host:port`, tried in order.
    public let servers: [String]
    /// Search domains for relative names.
    public let search: [String]
    /// Names with at least this many dots are tried as given before the search list.
    public let ndots: Int
    /// How long to wait for one server's answer.
    public let timeout: Duration

    /// A resolver asking `servers`.
    public init(servers: [String], search: [String] = [], ndots: Int = 1, timeout: Duration = .seconds(5)) {
        self.servers = servers
        self.search = search
        self.ndots = ndots
        self.timeout = timeout
    }

    /// The resolver `/etc/resolv.conf` describes (127.0.0.1:53 when it names no server).
    public static func system(path: String = "/etc/resolv.conf") -> DNSResolver {
        let text = (FileManager.default.contents(atPath: path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        var servers: [String] = []
        var search: [String] = []
        var ndots = 1
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = fields.first, !keyword.hasPrefix("#"), !keyword.hasPrefix(";") else { continue }
            switch keyword {
            case "nameserver" where fields.count > 1:
                servers.append(fields[1].contains(":") ? "[\(fields[1])]:53" : "\(fields[1]):53")
            case "search", "domain":
                search = Array(fields.dropFirst())
            case "options":
                for option in fields.dropFirst() where option.hasPrefix("ndots:") {
                    ndots = Int(option.dropFirst(6)).map { min(max($0, 0), 15) } ?? ndots
                }
            default:
                continue
            }
        }
        return DNSResolver(servers: servers.isEmpty ? ["127.0.0.1:53"] : servers, search: search, ndots: ndots)
    }

    /// The names tried for `name`, in order (Go's `dnsConfig.nameList`).
    func candidates(_ name: String) -> [String] {
        if name.hasSuffix(".") { return [name] }
        let dots = name.filter { $0 == "." }.count
        let searched = search.map { name + "." + ($0.hasSuffix(".") ? String($0.dropLast()) : $0) + "." }
        return dots >= ndots ? [name + "."] + searched : searched + [name + "."]
    }

    /// The records of `type` for `name`: the first candidate name with an answer wins; a name
    /// that does not exist anywhere gives no records and no error.
    public func lookup(_ name: String, type: DNSMessage.RecordType) async throws -> [DNSMessage.Record] {
        var lastError: (any Error)?
        var answeredEmpty = false
        for candidate in candidates(name) {
            do {
                let response = try await ask(candidate, type: type)
                if response.responseCode == 0 {
                    if !response.records.isEmpty { return response.records }
                    answeredEmpty = true
                } else if response.responseCode == 3 {
                    answeredEmpty = true
                } else {
                    lastError = DNSLookupError(message: "server answered \(candidate) with response code \(response.responseCode)")
                }
            } catch {
                lastError = error
            }
        }
        if answeredEmpty { return [] }
        throw lastError ?? DNSLookupError(message: "no DNS server answered for \(name)")
    }

    private func ask(_ name: String, type: DNSMessage.RecordType) async throws -> DNSMessage.Response {
        var lastError: (any Error)?
        for server in servers {
            do {
                let id = UInt16.random(in: 0...UInt16.max)
                let answer = try await Self.exchange(DNSMessage.query(id: id, name: name, type: type), server: server, id: id, timeout: timeout)
                return try DNSMessage.parse(answer, type: type)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? DNSLookupError(message: "no DNS servers configured")
    }

    /// Sends one UDP query to `server` and waits for the answer with the same id.
    static func exchange(_ query: [UInt8], server: String, id: UInt16, timeout: Duration) async throws -> [UInt8] {
        guard let colon = server.lastIndex(of: ":"), let port = Int(server[server.index(after: colon)...]) else {
            throw DNSLookupError(message: "bad DNS server address \(server)")
        }
        let host = server[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let address = try SocketAddress(ipAddress: host, port: port)
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: host.contains(":") ? "::" : "0.0.0.0", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: query)))
            return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
                group.addTask {
                    for try await envelope in inbound {
                        let bytes = Array(buffer: envelope.data)
                        if bytes.count >= 2 && UInt16(bytes[0]) << 8 | UInt16(bytes[1]) == id { return bytes }
                    }
                    return nil
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                guard let first else { throw DNSLookupError(message: "no answer from \(server) within \(timeout)") }
                return first
            }
        }
    }
}

/// Why a DNS lookup gave no answer.
public struct DNSLookupError: Error, Sendable, CustomStringConvertible {
    /// What happened, naming the server or name.
    public let message: String
    /// The message.
    public var description: String { message }
}
