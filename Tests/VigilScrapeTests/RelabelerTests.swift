import Testing
import VigilConfig
import VigilModel
@testable import VigilScrape

/// Relabeling against Prometheus 2.53's `relabel.Process` semantics, one action at a time.
@Suite struct Relabeling {
    func relabel(_ yaml: String, _ labels: Labels) throws -> Labels? {
        let steps = try ConfigDecoder.decode([RelabelConfig].self, fromYAML: yaml, fileName: "test.yml")
        return Relabeler(steps).process(labels)
    }

    @Test func replaceWithCapturesIntoNewLabel() throws {
        let result = try relabel(
            """
            - source_labels: [__address__]
              regex: '(.+):(\\d+)'
              target_label: host
              replacement: '${1}-port$2'
            """, ["__address__": "node-1:9100"])
        #expect(result == ["__address__": "node-1:9100", "host": "node-1-port9100"])
    }

    @Test func replaceDefaultsCopyTheJoinedSourceValues() throws {
        let result = try relabel(
            """
            - source_labels: [a, b]
              target_label: c
            """, ["a": "x", "b": "y"])
        #expect(result == ["a": "x", "b": "y", "c": "x;y"])
    }

    @Test func replaceLeavesLabelsAloneWhenTheRegexDoesNotMatch() throws {
        let result = try relabel(
            """
            - source_labels: [a]
              regex: 'nomatch'
              target_label: b
              replacement: 'set'
            """, ["a": "x"])
        #expect(result == ["a": "x"])
    }

    @Test func replaceWithAnEmptyResultDeletesTheTarget() throws {
        let result = try relabel(
            """
            - source_labels: [missing]
              regex: '(.*)'
              target_label: a
              replacement: '$1'
            """, ["a": "x", "b": "y"])
        #expect(result == ["b": "y"])
    }

    @Test func goTemplateReferencesTakeTheLongestName() throws {
        // `$1x` names group "1x", which does not exist: empty, as in Go's Regexp.Expand.
        let result = try relabel(
            """
            - source_labels: [a]
              regex: '(.*)'
              target_label: b
              replacement: '$1x|${1}x|$$|$|${bad'
            - source_labels: [a]
              regex: '(?P<word>.*)'
              target_label: c
              replacement: '<$word>'
            """, ["a": "v"])
        #expect(result?["b"] == "|vx|$|$|${bad")
        #expect(result?["c"] == "<v>")
    }

    @Test func targetLabelMayUseCapturesButMustBeAValidName() throws {
        let result = try relabel(
            """
            - source_labels: [a]
              regex: '(.*)'
              target_label: 'x_$1'
            - source_labels: [b]
              regex: '(.*)'
              target_label: '$1'
            """, ["a": "tag", "b": "not-valid"])
        #expect(result == ["a": "tag", "b": "not-valid", "x_tag": "tag"])
    }

    @Test func regexesAreAnchored() throws {
        let kept = try relabel(
            """
            - source_labels: [job]
              regex: 'node'
              action: keep
            """, ["job": "node-exporter"])
        #expect(kept == nil)
    }

    @Test func keepAndDrop() throws {
        let yamlKeep = """
            - source_labels: [env]
              regex: 'prod|staging'
              action: keep
            """
        #expect(try relabel(yamlKeep, ["env": "prod"]) == ["env": "prod"])
        #expect(try relabel(yamlKeep, ["env": "dev"]) == nil)
        #expect(try relabel(yamlKeep, ["other": "x"]) == nil)
        let yamlDrop = """
            - source_labels: [env]
              regex: 'dev'
              action: drop
            """
        #expect(try relabel(yamlDrop, ["env": "dev"]) == nil)
        #expect(try relabel(yamlDrop, ["env": "prod"]) == ["env": "prod"])
    }

    @Test func keepEqualAndDropEqual() throws {
        let keep = """
            - source_labels: [__meta_port]
              target_label: port
              action: keepequal
            """
        #expect(try relabel(keep, ["__meta_port": "80", "port": "80"]) != nil)
        #expect(try relabel(keep, ["__meta_port": "80", "port": "81"]) == nil)
        let drop = """
            - source_labels: [__meta_port]
              target_label: port
              action: dropequal
            """
        #expect(try relabel(drop, ["__meta_port": "80", "port": "80"]) == nil)
        #expect(try relabel(drop, ["__meta_port": "80"]) != nil)
    }

    @Test func hashmodMatchesPrometheus() throws {
        // Expected values: MD5, last eight bytes big-endian, modulo (computed with Python's hashlib).
        for (value, modulus, expected) in [("foo", 1000, "696"), ("127.0.0.1:9100", 4, "2"), ("a;b", 10, "4")] {
            let result = try relabel(
                """
                - source_labels: [v]
                  modulus: \(modulus)
                  target_label: shard
                  action: hashmod
                """, ["v": value])
            #expect(result?["shard"] == expected, "\(value) mod \(modulus)")
        }
    }

    @Test func md5MatchesKnownDigests() {
        func hex(_ bytes: [UInt8]) -> String {
            bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        }
        #expect(hex(MD5.digest("".utf8)) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(hex(MD5.digest("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        // Longer than one 64-byte block, so the padding crosses into a second block.
        #expect(hex(MD5.digest(Array(repeating: UInt8(ascii: "a"), count: 200))) == "887f30b43b2867f4a9accceee7d16e6c")
    }

    @Test func labelmapCopiesMatchingNames() throws {
        let result = try relabel(
            """
            - regex: '__meta_kubernetes_pod_label_(.+)'
              action: labelmap
            """, ["__meta_kubernetes_pod_label_app": "web", "__meta_kubernetes_pod_label_tier": "front", "job": "k"])
        #expect(result?["app"] == "web")
        #expect(result?["tier"] == "front")
        #expect(result?["__meta_kubernetes_pod_label_app"] == "web")
    }

    @Test func labeldropAndLabelkeep() throws {
        let dropped = try relabel(
            """
            - regex: 'tmp_.*'
              action: labeldrop
            """, ["tmp_a": "1", "tmp_b": "2", "keep": "3"])
        #expect(dropped == ["keep": "3"])
        let kept = try relabel(
            """
            - regex: '__name__|job'
              action: labelkeep
            """, ["__name__": "up", "job": "j", "instance": "i"])
        #expect(kept == ["__name__": "up", "job": "j"])
    }

    @Test func lowercaseAndUppercase() throws {
        let result = try relabel(
            """
            - source_labels: [a]
              target_label: lower
              action: lowercase
            - source_labels: [a]
              target_label: upper
              action: uppercase
            """, ["a": "MiXeD"])
        #expect(result?["lower"] == "mixed")
        #expect(result?["upper"] == "MIXED")
    }

    @Test func stepsApplyInOrderAndAnEmptyResultIsDropped() throws {
        let result = try relabel(
            """
            - source_labels: [a]
              target_label: b
            - source_labels: [b]
              regex: 'x'
              action: drop
            """, ["a": "x"])
        #expect(result == nil)
        let emptied = try relabel(
            """
            - regex: '.*'
              action: labeldrop
            """, ["a": "x"])
        #expect(emptied == nil)
    }
}
