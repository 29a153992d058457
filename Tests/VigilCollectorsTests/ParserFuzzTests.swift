import Testing
@testable import VigilCollectors
import VigilTestSupport

/// The line parsers never trap, on random bytes or on real-looking files with random damage.
@Suite struct ParserFuzzTests {
    static let samples: [String] = [
        ProcCollectorTests.stat,
        "Inter-|\n face |\n  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
        "/dev/vda / ext4 rw,relatime 0 0\n/dev/x /a\\040b xfs ro 0 0\n",
        "entries found\n0000000a 0000000b\n00000001 0000000f\n",
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=1500000\nfull avg10=0 total=7\n",
        "NAME=\"Debian\"\nVERSION_ID='12'\nID=debian\n",
        "TcpExt: A B C\nTcpExt: 1 2 3\n",
        "Ip6InOctets 1000\nIcmp6InMsgs 3\n",
        "sockets: used 229\nTCP: inuse 4 orphan 0 tw 4 alloc 17 mem 1\n",
        "MemTotal: 15666184 kB\nActive(anon): 1 kB\nHugePages_Total: 7\n",
    ]

    @Test func randomAndMutatedInput() async {
        await offTheCooperativePool { checkRandomAndMutatedInput() }
    }

    private func checkRandomAndMutatedInput() {
        var random = SplitMix64(seed: 0x5EED)
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int(random.next() % 200)).map { _ in
                    let alphabet: [UInt8] = Array(" \t\n:=()-.0123456789abcdefxXcpu\\\"'#".utf8)
                    return random.next() % 4 == 0 ? UInt8(truncatingIfNeeded: random.next()) : alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
            } else {
                bytes = Array(Self.samples[Int(random.next() % UInt64(Self.samples.count))].utf8)
                for _ in 0..<(1 + Int(random.next() % 6)) where !bytes.isEmpty {
                    let position = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 4 {
                    case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                    case 1: bytes.remove(at: position)
                    case 2: bytes.insert(contentsOf: bytes[position...].prefix(8), at: position)
                    default: bytes.removeSubrange(position..<min(bytes.count, position + Int(random.next() % 20)))
                    }
                }
            }
            exercise(bytes[...])
        }
    }

    private let netstat = NetstatCollector(fields: try! NameFilter(".*", mode: .include, flag: "f"))

    private func exercise(_ text: ArraySlice<UInt8>) {
        _ = ProcStat.parse(text)
        _ = try? NetdevCollector.parse(text, path: "dev")
        _ = try? FilesystemCollector.parseMounts(text, path: "mounts")
        _ = try? ConntrackCollector.sumColumns(text, path: "nf")
        _ = try? PressureCollector.totals(text, path: "psi")
        _ = OSReleaseCollector.parse(text)
        var stats: [(key: String, metric: String, help: String, value: Double)] = []
        _ = try? netstat.parsePairedTable(text, path: "netstat", into: &stats)
        _ = try? netstat.parseSNMP6(text, path: "snmp6", into: &stats)
        for line in ByteText.lines(text) {
            for field in ByteText.fields(line) {
                _ = ByteText.double(field)
                _ = ByteText.uint64(field)
                _ = ByteText.int64(field)
                _ = ByteText.hex(field)
                _ = MeminfoCollector.metricField(field)
                _ = HwmonCollector.split(ByteText.string(field))
            }
        }
    }

    @Test func numbersAgreeWithTheStandardLibrary() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<5000 {
            let integer = random.next() >> (random.next() % 64)
            let text = String(integer)
            #expect(ByteText.uint64(Array(text.utf8)[...]) == integer)
            let decimal = "\(integer % 1_000_000).\(random.next() % 1000)"
            #expect(ByteText.double(Array(decimal.utf8)[...]) == Double(decimal), "\(decimal)")
        }
        #expect(ByteText.uint64(Array("18446744073709551616".utf8)[...]) == nil)
        #expect(ByteText.int64(Array("-9223372036854775808".utf8)[...]) == Int64.min)
        #expect(ByteText.hex(Array("0x0000007b".utf8)[...]) == 123)
        #expect(ByteText.double(Array("1.5e3".utf8)[...]) == 1500)
        #expect(ByteText.double(Array("349.01683299999996".utf8)[...]) == 349.01683299999996)
        #expect(ByteText.double(Array("-0.25".utf8)[...]) == -0.25)
        #expect(ByteText.double(Array("".utf8)[...]) == nil)
        #expect(ByteText.double(Array(".".utf8)[...]) == nil)
    }
}
