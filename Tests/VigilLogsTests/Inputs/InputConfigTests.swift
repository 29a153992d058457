import Testing
import VigilConfig
import VigilTestSupport
@testable import VigilLogs

@Suite struct InputConfigTests {
    @Test func decodesEveryInputType() throws {
        let config = try PrometheusConfig.parse(
            yaml: """
                logs:
                  inputs:
                    - paths: [/var/log/*.log]
                    - type: kmsg
                    - type: syslog
                      name: syslog-tcp
                      mode: tcp
                      address: 127.0.0.1:6514
                      framing: octet_counted
                      max_message_size: 8KiB
                      idle_timeout: 1m
                    - type: syslog
                      name: devlog
                      mode: unix_datagram
                      path: /run/vigil/log.sock
                    - type: journal
                      units: [ssh.service]
                    - type: http
                      address: ":3101"
                      max_body_size: 1MiB
                      labels: {source: push}
                  outputs:
                    - url: http://loki:3100/loki/api/v1/push
                """, fileName: "vigil.yml"
        ).logs
        #expect(config.inputs.map(\.name) == ["file", "kmsg", "syslog-tcp", "devlog", "journal", "http"])
        #expect(config.fileInputs.count == 1)
        guard case .kmsg(let kmsg) = config.inputs[1], case .syslog(let tcp) = config.inputs[2],
              case .syslog(let unix) = config.inputs[3], case .journal(let journal) = config.inputs[4],
              case .http(let http) = config.inputs[5]
        else {
            Issue.record("wrong input types: \(config.inputs)")
            return
        }
        #expect(kmsg.path == "/dev/kmsg")
        #expect(tcp.mode == .tcp && tcp.address == ListenAddress(host: "127.0.0.1", port: 6514))
        #expect(tcp.framing == .octetCounted && tcp.maxMessageSize.bytes == 8192 && tcp.idleTimeout == .minutes(1))
        #expect(unix.mode == .unixDatagram && unix.path == "/run/vigil/log.sock")
        #expect(journal.units == ["ssh.service"] && journal.journalctl == "journalctl")
        #expect(http.address == ListenAddress(host: "0.0.0.0", port: 3101) && http.maxBodySize.bytes == 1 << 20)
        #expect(http.labels == ["source": "push"])
    }

    @Test(arguments: [
        ("    - type: syslog\n      mode: unix_stream\n", "vigil.yml:3:7: logs.inputs[0].path: mode unix_stream needs a socket path"),
        ("    - type: syslog\n      path: /x.sock\n", "path is only for the unix modes"),
        ("    - type: syslog\n      framing: newline\n", "framing applies only to tcp and unix_stream"),
        ("    - type: syslog\n      mode: tcp\n      address: localhost\n", "address \"localhost\" needs a port"),
        ("    - type: syslog\n      mode: tcp\n      address: localhost:99999\n", "has no valid port"),
        ("    - type: syslog\n      mode: sctp\n", "vigil.yml:4:13"),
        ("    - type: syslog\n      max_message_size: 100B\n", "max_message_size must be between 480B"),
        ("    - type: http\n      max_body_size: 1GiB\n", "max_body_size must be between 1KiB and 256MiB"),
        ("    - type: http\n      paths: [/x]\n", "unknown field \"paths\""),
        ("    - type: kmsg\n      path: \"\"\n", "path must not be empty"),
        ("    - type: journal\n      max_entry_size: 10B\n", "max_entry_size must be at least 1KiB"),
        ("    - type: journal\n    - type: journal\n", "duplicate input name \"journal\""),
    ])
    func rejectsBadInputsWithPositions(entry: String, expected: String) {
        let yaml = "logs:\n  inputs:\n" + entry + "  outputs:\n    - url: http://l/p\n"
        do {
            _ = try PrometheusConfig.parse(yaml: yaml, fileName: "vigil.yml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func positionsKeepJournalCursorsAndKernelSequences() throws {
        var file = PositionsFile(sequence: 9)
        file.inputCheckpoints = [
            .journal(input: "journal one", cursor: "s=1;i=2 b"), .kmsg(input: "kmsg", bootID: "boot", sequence: 1234),
        ]
        let decoded = try PositionsFile.decode(file.encoded(), path: "p")
        #expect(decoded.sequence == 9)
        #expect(decoded.inputCheckpoints == file.inputCheckpoints)
    }

    @Test(arguments: [
        InputCheckpoint.none(input: "http"), .journal(input: "j", cursor: "s=abc"), .kmsg(input: "k", bootID: "b", sequence: 77),
        .file(FileCheckpoint(
            input: "f", identity: FileIdentity(device: 1, inode: 2, fingerprint: 3, fingerprintLength: 4), offset: 5, path: "/p",
            labelPath: "/p")),
    ])
    func framesRoundTripEveryCheckpointKind(checkpoint: InputCheckpoint) throws {
        let frame = BufferFrame(
            sequence: 3, checkpoint: checkpoint, labels: [(name: "a", value: "b")], records: [LogRecord(timestamp: 1, line: [65])])
        let bytes = frame.encoded()
        let decoded = bytes[BufferFrame.headerSize...].withUnsafeBytes { BufferFrame.decode($0) }
        #expect(decoded == frame)
    }
}
