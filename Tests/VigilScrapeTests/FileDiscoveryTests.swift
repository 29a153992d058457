import VigilTestSupport
import Foundation
import Logging
import Testing
import VigilConfig
import VigilDiscovery
import VigilModel

/// `file_sd_configs` against real files in a temporary directory, polled every 20 ms: what is
/// sent when files appear, change, break and disappear.
@Suite struct FileDiscovering {
    /// Runs a file discovery over `patterns` while `body` runs; `body` gets what it sent.
    func withDiscovery(
        _ patterns: [String], logger: Logger = quietLogger, readErrors: Counter? = nil,
        _ body: (Recorder<[TargetGroup]>) async throws -> Void
    ) async throws {
        let yaml = "files: [" + patterns.map { "'\($0)'" }.joined(separator: ", ") + "]"
        let config = try ConfigDecoder.decode(FileSDConfig.self, fromYAML: yaml, fileName: "sd.yml")
        let discovery = FileDiscovery(config, logger: logger, readErrors: readErrors, pollInterval: .milliseconds(20))
        try await discovery.whileRunning(body)
    }

    static func group(_ path: String, _ index: Int, _ targets: [String], _ labels: [String: String] = [:]) -> TargetGroup {
        var builder = LabelsBuilder()
        for (name, value) in labels { builder.set(name, value) }
        builder.set("__meta_filepath", path)
        return TargetGroup(
            targets: targets.map { ["__address__": $0] }, labels: builder.build(), source: "\(path):\(index)")
    }

    @Test func readsJSONAndYAMLFilesMatchingTheGlobs() async throws {
        let directory = try TemporaryDirectory()
        let json = try directory.write(
            "nodes.json",
            """
            [
              {"targets": ["10.0.0.1:9100", "10.0.0.2:9100"], "labels": {"env": "prod", "team": "core"}},
              {"targets": ["10.0.0.3:9100"]}
            ]
            """)
        let yaml = try directory.write(
            "web.yml",
            """
            - targets: ['web-1:80']
              labels:
                env: staging
            """)
        _ = try directory.write("ignored.txt", "[{\"targets\": [\"nope:1\"]}]")
        _ = try directory.write("other.json", "[{\"targets\": [\"other:1\"]}]")
        try await withDiscovery([directory.path + "/n*.json", directory.path + "/*.yml"]) { (sent) async throws in
            let groups = await sent.waitForLast { !$0.isEmpty }
            #expect(
                groups == [
                    Self.group(json, 0, ["10.0.0.1:9100", "10.0.0.2:9100"], ["env": "prod", "team": "core"]),
                    Self.group(json, 1, ["10.0.0.3:9100"]),
                    Self.group(yaml, 0, ["web-1:80"], ["env": "staging"]),
                ])
            #expect(groups?.first?.labels["__meta_filepath"] == directory.path + "/nodes.json")
            #expect(groups?.map(\.source) == [json + ":0", json + ":1", yaml + ":0"])
        }
    }

    @Test func aRewrittenFileDeliversAnUpdate() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("targets.json", "[{\"targets\": [\"a:1\"]}]")
        try await withDiscovery([path]) { (sent) async throws in
            let first = await sent.waitForLast { $0.count == 1 }
            #expect(first == [Self.group(path, 0, ["a:1"])])
            _ = try directory.write("targets.json", "[{\"targets\": [\"a:1\", \"b:2\"], \"labels\": {\"x\": \"y\"}}]")
            let second = await sent.waitForLast { $0.first?.targets.count == 2 }
            #expect(second == [Self.group(path, 0, ["a:1", "b:2"], ["x": "y"])])
        }
    }

    @Test func aFileAppearingLaterIsPickedUp() async throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("1.json", "[{\"targets\": [\"a:1\"]}]")
        try await withDiscovery([directory.path + "/*.json"]) { (sent) async throws in
            let before = await sent.waitForLast { $0.count == 1 }
            #expect(before == [Self.group(first, 0, ["a:1"])])
            let second = try directory.write("2.json", "[{\"targets\": [\"b:1\"]}]")
            let after = await sent.waitForLast { $0.count == 2 }
            #expect(after == [Self.group(first, 0, ["a:1"]), Self.group(second, 0, ["b:1"])])
        }
    }

    @Test func anInvalidFileKeepsItsLastGoodGroupsAndTheErrorNamesThePosition() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("targets.json", "[{\"targets\": [\"a:1\"]}]")
        let lines = Recorder<String>()
        let readErrors = Counter()
        try await withDiscovery([path], logger: RecordingLogHandler.logger(lines), readErrors: readErrors) { (sent) async throws in
            let good = [Self.group(path, 0, ["a:1"])]
            let first = await sent.waitForLast { $0.count == 1 }
            #expect(first == good)
            let sends = sent.all.count

            // A typo in a field name: valid JSON, refused by the strict decoder at its position.
            _ = try directory.write("targets.json", "[\n  {\"targets\": [\"a:1\", \"b:2\"],\n   \"lables\": {\"x\": \"y\"}}\n]")
            let typoLogged = await lines.waitForLast { $0.hasPrefix("Error reading file") }
            #expect(typoLogged?.contains("err=\(path):3:4: [0].lables: unknown field") == true, "\(typoLogged ?? "")")
            #expect(typoLogged?.contains("path=\(path)") == true)
            #expect(readErrors.value == 1)

            // Broken syntax: the position is where the parser gave up.
            _ = try directory.write("targets.json", "[{\"targets\": [\"a:1\", \"b:2\"]")
            let syntaxLogged = await lines.waitForLast { $0.contains("did not find expected") }
            #expect(syntaxLogged?.contains("err=\(path):2:1: did not find expected ',' or '}'") == true, "\(syntaxLogged ?? "")")
            #expect(readErrors.value == 2)

            #expect(sent.all.count == sends)
            #expect(sent.last == good)

            _ = try directory.write("targets.json", "[{\"targets\": [\"c:3\"]}]")
            let fixed = await sent.waitForLast { $0.first?.targets.first?["__address__"] == "c:3" }
            #expect(fixed == [Self.group(path, 0, ["c:3"])])
        }
    }

    @Test func aDeletedFileTakesItsGroupsAway() async throws {
        let directory = try TemporaryDirectory()
        let kept = try directory.write("a.yml", "- targets: ['a:1']")
        let removed = try directory.write("b.yml", "- targets: ['b:1']\n- targets: ['b:2']")
        try await withDiscovery([directory.path + "/*.yml"]) { (sent) async throws in
            let both = await sent.waitForLast { $0.count == 3 }
            #expect(both != nil)
            try FileManager.default.removeItem(atPath: removed)
            let one = await sent.waitForLast { $0.count == 1 }
            #expect(one == [Self.group(kept, 0, ["a:1"])])
            try FileManager.default.removeItem(atPath: kept)
            let none = await sent.waitForLast { $0.isEmpty }
            #expect(none == [])
        }
    }
}
