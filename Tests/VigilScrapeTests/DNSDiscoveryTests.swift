import VigilTestSupport
import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing
import VigilConfig
import VigilModel
@testable import VigilDiscovery

/// DNS discovery: the wire format, and lookups against a real UDP server on loopback.
@Suite struct DiscoveringByDNS {
    /// An answer to `query` with `records` (type, rdata), names compressed to the question.
    static func answer(to query: [UInt8], records: [(type: UInt16, rdata: [UInt8])], rcode: UInt8 = 0) -> [UInt8] {
        var bytes = Array(query[0..<2])
        bytes += [0x81, 0x80 | rcode]  // response, RD, RA
        bytes += [0, 1, 0, UInt8(records.count), 0, 0, 0, 0]
        // Copy the question (from byte 12 to the end of its qtype/qclass).
        var end = 12
        while query[end] != 0 { end += Int(query[end]) + 1 }
        end += 5
        bytes += query[12..<end]
        for record in records {
            bytes += [0xC0, 12]
            bytes += [UInt8(record.type >> 8), UInt8(record.type & 0xFF), 0, 1, 0, 0, 0, 60]
            bytes += [UInt8(record.rdata.count >> 8), UInt8(record.rdata.count & 0xFF)]
            bytes += record.rdata
        }
        return bytes
    }

    static func name(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for label in text.split(separator: ".") {
            bytes.append(UInt8(label.utf8.count))
            bytes += Array(label.utf8)
        }
        return bytes + [0]
    }

    static func srv(priority: UInt16 = 0, weight: UInt16 = 0, port: UInt16, target: String) -> (UInt16, [UInt8]) {
        (33, [UInt8(priority >> 8), UInt8(priority & 0xFF), UInt8(weight >> 8), UInt8(weight & 0xFF), UInt8(port >> 8), UInt8(port & 0xFF)] + name(target))
    }

    @Test func queriesAreWellFormed() {
        let query = DNSMessage.query(id: 0x1234, name: "_node._tcp.example.org", type: .srv)
        #expect(Array(query[0..<4]) == [0x12, 0x34, 0x01, 0x00])
        #expect(Array(query[12..<18]) == [5] + Array("_node".utf8))
        // The question ends with type SRV, class IN, then the EDNS0 OPT record.
        #expect(Array(query.suffix(15)) == [0, 33, 0, 1, 0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func answersParseWithCompressionAndEveryType() throws {
        let query = DNSMessage.query(id: 7, name: "svc.example.org", type: .srv)
        let srvAnswer = Self.answer(to: query, records: [Self.srv(port: 9100, target: "node1.example.org"), (5, Self.name("alias.example.org"))])
        let parsed = try DNSMessage.parse(srvAnswer, type: .srv)
        #expect(parsed.id == 7)
        #expect(parsed.records == [.srv(target: "node1.example.org", port: 9100, priority: 0, weight: 0)])
        let a = try DNSMessage.parse(Self.answer(to: query, records: [(1, [10, 0, 0, 1])]), type: .a)
        #expect(a.records == [.a("10.0.0.1")])
        let v6 = try DNSMessage.parse(
            Self.answer(to: query, records: [(28, [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1])]), type: .aaaa)
        #expect(v6.records == [.aaaa("2001:db8::1")])
        let pointer = Self.answer(to: query, records: [(15, [0, 10, 0xC0, 12])])
        #expect(try DNSMessage.parse(pointer, type: .mx).records == [.mx("svc.example.org")])
        #expect(try DNSMessage.parse(Self.answer(to: query, records: [], rcode: 3), type: .a).responseCode == 3)
    }

    @Test func ipv6TextFollowsGo() {
        #expect(IPv6Text.format(Array(repeating: 0, count: 15) + [1]) == "::1")
        #expect(IPv6Text.format([0xfe, 0x80] + Array(repeating: 0, count: 6) + [0, 0, 0, 0, 0, 0, 0, 1]) == "fe80::1")
        #expect(IPv6Text.format(Array(repeating: 0, count: 10) + [0xff, 0xff, 192, 0, 2, 1]) == "192.0.2.1")
        #expect(IPv6Text.format([0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 0, 4]) == "1:0:2:0:0:3:0:4".replacingOccurrences(of: "2:0:0:3", with: "2::3"))
    }

    @Test func malformedAnswersAreErrorsNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        let query = DNSMessage.query(id: 1, name: "a.example", type: .srv)
        let valid = Self.answer(to: query, records: [Self.srv(port: 80, target: "b.example")])
        for round in 0..<2000 {
            var bytes = valid
            if round % 2 == 0 {
                for _ in 0..<(1 + round % 4) { bytes[Int.random(in: 0..<bytes.count, using: &generator)] = .random(in: 0...255, using: &generator) }
            } else {
                bytes = (0..<Int.random(in: 0..<80, using: &generator)).map { _ in .random(in: 0...255, using: &generator) }
            }
            _ = try? DNSMessage.parse(bytes, type: .srv)
        }
        // A pointer to itself must not loop.
        let loop: [UInt8] = [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0xC0, 12, 0, 33, 0, 1, 0, 0, 0, 0, 0, 0]
        #expect(throws: DNSMessage.Malformed.self) { try DNSMessage.parse(loop, type: .srv) }
    }

    @Test func searchListFollowsNdots() {
        let resolver = DNSResolver(servers: [], search: ["svc.cluster.local", "cluster.local"], ndots: 5)
        #expect(resolver.candidates("web") == ["web.svc.cluster.local.", "web.cluster.local.", "web."])
        #expect(resolver.candidates("a.b.c.d.e.f") == ["a.b.c.d.e.f.", "a.b.c.d.e.f.svc.cluster.local.", "a.b.c.d.e.f.cluster.local."])
        #expect(resolver.candidates("rooted.") == ["rooted."])
    }

    @Test func resolvConfIsRead() throws {
        let path = NSTemporaryDirectory() + "resolv-\(UUID().uuidString).conf"
        try "# comment\nnameserver 10.0.0.2\nnameserver ::1\nsearch a.example b.example\noptions ndots:3 timeout:1\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let resolver = DNSResolver.system(path: path)
        #expect(resolver.servers == ["10.0.0.2:53", "[::1]:53"])
        #expect(resolver.search == ["a.example", "b.example"])
        #expect(resolver.ndots == 3)
    }

    @Test func srvTargetsCarryPrometheusMetaLabels() async throws {
        try await FakeDNSServer.with { query in
            let asked = String(decoding: query[13..<(13 + Int(query[12]))], as: UTF8.self)
            guard asked == "_metrics" else { return Self.answer(to: query, records: [], rcode: 3) }
            return Self.answer(to: query, records: [Self.srv(port: 9100, target: "node1.example.org"), Self.srv(port: 9200, target: "node2.example.org")])
        } run: { server in
            let resolver = DNSResolver(servers: [server], search: [], ndots: 1, timeout: .seconds(10))
            let config = try ConfigDecoder.decode(DNSSDConfig.self, fromYAML: "names: ['_metrics._tcp.example.org']\nrefresh_interval: 1h", fileName: "t")
            let discovery = DNSDiscovery(config, resolver: resolver, logger: Logger(label: "t"))
            let groups = try await Self.firstSend(of: discovery)
            #expect(groups.count == 1)
            #expect(groups.first?.source == "_metrics._tcp.example.org")
            #expect(groups.first?.targets.first == [
                "__address__": "node1.example.org:9100", "__meta_dns_name": "_metrics._tcp.example.org",
                "__meta_dns_srv_record_target": "node1.example.org.", "__meta_dns_srv_record_port": "9100",
            ])
            #expect(groups.first?.targets.count == 2)
        }
    }

    @Test func aRecordsUseTheConfiguredPortAndMissingNamesGiveNoTargets() async throws {
        try await FakeDNSServer.with { query in
            let asked = String(decoding: query[13..<(13 + Int(query[12]))], as: UTF8.self)
            if asked == "db" { return Self.answer(to: query, records: [(1, [192, 0, 2, 7])]) }
            return Self.answer(to: query, records: [], rcode: 3)
        } run: { server in
            let resolver = DNSResolver(servers: [server], search: [], ndots: 1, timeout: .seconds(10))
            let config = try ConfigDecoder.decode(
                DNSSDConfig.self, fromYAML: "names: [db.example, missing.example]\ntype: A\nport: 9187\nrefresh_interval: 1h", fileName: "t")
            let groups = try await Self.firstSend(of: DNSDiscovery(config, resolver: resolver, logger: Logger(label: "t")))
            #expect(groups.map(\.source) == ["db.example", "missing.example"])
            #expect(groups[0].targets == [["__address__": "192.0.2.7:9187", "__meta_dns_name": "db.example"]])
            #expect(groups[1].targets.isEmpty)
        }
    }

    @Test func anUnansweredLookupIsAnErrorNamingTheServer() async throws {
        // Nothing listens on this port: the query times out.
        let resolver = DNSResolver(servers: ["127.0.0.1:9"], search: [], ndots: 1, timeout: .milliseconds(200))
        await #expect(throws: (any Error).self) { _ = try await resolver.lookup("x.example", type: .a) }
    }

    static func firstSend(of discovery: DNSDiscovery) async throws -> [TargetGroup] {
        let (stream, continuation) = AsyncStream<[TargetGroup]>.makeStream()
        let task = Task { await discovery.run { continuation.yield($0) } }
        var iterator = stream.makeAsyncIterator()
        let groups = await iterator.next() ?? []
        task.cancel()
        return groups
    }
}

/// A UDP DNS server on an ephemeral loopback port answering with `respond(query)`.
enum FakeDNSServer {
    static func with(
        respond: @escaping @Sendable ([UInt8]) -> [UInt8], run body: (String) async throws -> Void
    ) async throws {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
                }
            }
        let port = channel.channel.localAddress?.port ?? 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    for try await envelope in inbound {
                        let reply = respond(Array(buffer: envelope.data))
                        try await outbound.write(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: reply)))
                    }
                }
            }
            try await body("127.0.0.1:\(port)")
            group.cancelAll()
        }
    }
}
