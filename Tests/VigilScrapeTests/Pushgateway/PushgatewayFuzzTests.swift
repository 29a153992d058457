import Foundation
import Testing
import VigilModel
@testable import VigilScrape
import VigilTestSupport

/// Random and mutated push URLs, bodies and files: nothing may crash, and what the store accepts
/// must keep it consistent and its exposition readable.
@Suite struct FuzzingThePushgateway {
    typealias F = PushgatewayFixtures

    static let seedBodies = [
        "# HELP foo A foo\n# TYPE foo counter\nfoo{a=\"\",b=\"x\"} 1\nfoo{b=\"y\"} 2.5\nbar 3\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 3\nh_sum 4\nh_count 3\n",
        "# TYPE s summary\ns{quantile=\"0.5\",x=\"1\"} 1\ns_sum{x=\"1\"} 2\ns_count{x=\"1\"} 3\n",
        "x{instance=\"i\",job=\"other\"} 1\ny{path=\"a\\\\b\\\"c\\nd\"} NaN\n",
        "# TYPE g gauge\ng -Inf\ng_count 1\npush_time_seconds 5\n",
    ]

    static let tokens = [
        "\n", " ", "{", "}", "=", ",", "\"", "\\", "#", " HELP ", " TYPE ", "counter", "gauge", "summary", "histogram",
        "untyped", "le", "quantile", "_count", "_sum", "_bucket", "job", "instance", "__x", "1", "-1", "NaN", "+Inf",
        "1e9", "123456", "\u{E9}", "\u{0}", "x", "h", "s", "foo",
    ]

    static func mutate(_ text: String, _ random: inout SplitMix64) -> [UInt8] {
        var bytes = Array(text.utf8)
        for _ in 0..<(1 + Int(random.next() % 4)) {
            let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count + 1))
            switch random.next() % 5 {
            case 0 where !bytes.isEmpty:
                bytes.remove(at: min(position, bytes.count - 1))
            case 1:
                bytes.insert(contentsOf: Array(tokens[Int(random.next() % UInt64(tokens.count))].utf8), at: position)
            case 2:
                bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
            case 3:
                let other = seedBodies[Int(random.next() % UInt64(seedBodies.count))]
                bytes.insert(contentsOf: Array(other.utf8), at: position)
            default:
                if !bytes.isEmpty { bytes[min(position, bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next()) }
            }
        }
        return bytes
    }

    @Test func mutatedBodiesNeverBreakTheStore() async throws {
        var random = SplitMix64(seed: 7)
        let store = PushgatewayStore(directory: nil, logger: F.quietLogger, clock: StepClock().read)
        let keys = try ["/metrics/job/a", "/metrics/job/a/instance/x", "/metrics/job/b", "/metrics/job/c/x/"].map(F.key)
        var accepted = 0
        var refused = 0
        for round in 0..<3000 {
            let seed = Self.seedBodies[Int(random.next() % UInt64(Self.seedBodies.count))]
            let bytes = random.next() % 4 == 0 ? Array(seed.utf8) : Self.mutate(seed, &random)
            let key = keys[Int(random.next() % UInt64(keys.count))]
            if random.next() % 10 == 0 {
                try await store.delete(key)
                continue
            }
            guard let body = try? PushBody.decode(bytes) else { continue }
            do {
                try await store.push(body, to: key, replace: random.next() % 2 == 0)
                accepted += 1
            } catch {
                #expect(error.httpStatus == 400, "\(error)")
                refused += 1
            }
            if round % 50 == 0 { try await checkInvariants(store) }
        }
        try await checkInvariants(store)
        #expect(accepted > 100)
        #expect(refused > 10)
    }

    /// The state is consistent, and its exposition reads back to the same families.
    func checkInvariants(_ store: PushgatewayStore) async throws {
        let groups = await store.snapshot
        var state: [GroupingKey: PushedGroup] = [:]
        for group in groups { state[group.key] = group }
        for group in groups {
            #expect(PushgatewayConsistency.problems(names: group.families.keys, pushed: group.key, in: state).isEmpty)
        }
        let exposition = await store.exposition()
        let reread = try PushBody.decode(exposition.text)
        #expect(reread.families.map(\.name).sorted() == exposition.families.map(\.name).sorted())
        #expect(reread.families.reduce(0) { $0 + $1.metrics.count } == exposition.families.reduce(0) { $0 + $1.metrics.count })
    }

    @Test func mutatedPathsParseOrFailCleanly() throws {
        var random = SplitMix64(seed: 11)
        let seeds = ["/metrics/job/j/a/b", "/metrics/job@base64/YQ/c@base64/=", "/metrics/job/x/p@base64/L3Zhcg/q/%C3%A9"]
        let alphabet = Array("/@=%abcjob64AZ_-.~é".utf8) + [0x00, 0xFF, 0x2F]
        var parsed = 0
        for _ in 0..<20_000 {
            var bytes = Array(seeds[Int(random.next() % UInt64(seeds.count))].utf8)
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let position = Int(random.next() % UInt64(bytes.count + 1))
                if random.next() % 2 == 0 && position < bytes.count {
                    bytes.remove(at: position)
                } else {
                    bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                }
            }
            let path = String(decoding: bytes, as: UTF8.self)
            do {
                let key = try GroupingKey.parse(path: path)
                parsed += 1
                #expect(!key.job.isEmpty)
                #expect(try GroupingKey.parse(path: key.path) == key, "\(path)")
            } catch {
                #expect([400, 404].contains(error.httpStatus))
                #expect(!error.message.isEmpty)
            }
        }
        #expect(parsed > 1000)
    }

    @Test func damagedFilesNeverStopTheStore() async throws {
        var random = SplitMix64(seed: 13)
        let directory = try TemporaryDirectory()
        do {
            let store = PushgatewayStore(directory: directory.path, logger: F.quietLogger, clock: StepClock().read)
            for (index, seed) in Self.seedBodies.enumerated() {
                _ = try await F.push(store, "/metrics/job/j\(index)", seed)
            }
        }
        _ = PushgatewayStore(directory: directory.path, logger: F.quietLogger)
        let snapshot = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/groups.json"))
        for _ in 0..<200 {
            let damaged = Self.mutate(String(decoding: snapshot, as: UTF8.self), &random)
            let target = random.next() % 2 == 0 ? "groups.json" : "groups.journal"
            try Data(damaged).write(to: URL(fileURLWithPath: directory.path + "/" + target))
            let store = PushgatewayStore(directory: directory.path, logger: F.quietLogger)
            #expect(try await F.push(store, "/metrics/job/after", "x 1\n") == nil)
            try Data(snapshot).write(to: URL(fileURLWithPath: directory.path + "/groups.json"))
            try Data().write(to: URL(fileURLWithPath: directory.path + "/groups.journal"))
        }
    }
}
