import Testing
import VigilModel

@Suite("Labels")
struct LabelsTests {
    @Test func sortsDeduplicatesAndDropsEmptyValues() {
        var builder = LabelsBuilder()
        builder.set("job", "a")
        builder.set("__name__", "up")
        builder.set("instance", "x:1")
        builder.set("job", "b")
        builder.set("empty", "")
        let labels = builder.build()
        #expect(labels.map(\.name) == ["__name__", "instance", "job"])
        #expect(labels["job"] == "b")
        #expect(labels["empty"] == nil)
        #expect(labels["missing"] == nil)
        #expect(labels.name == "up")
        #expect(labels == ["job": "b", "instance": "x:1", "__name__": "up"])
        builder.reset()
        #expect(builder.build().isEmpty)
    }

    @Test func removeAndSetting() {
        let labels: Labels = ["a": "1", "b": "2"]
        var builder = LabelsBuilder(labels)
        builder.remove("a")
        #expect(builder.build() == ["b": "2"])
        #expect(labels.setting("c", to: "3") == ["a": "1", "b": "2", "c": "3"])
        #expect(labels.setting("a", to: "") == ["b": "2"])
        #expect(labels.dictionary == ["a": "1", "b": "2"])
    }

    @Test func descriptionsEscapeValues() {
        let labels: Labels = ["__name__": "up", "job": "a\"b\\c\nd", "z": "1"]
        #expect(labels.description == #"{__name__="up", job="a\"b\\c\nd", z="1"}"#)
        #expect(labels.seriesDescription == #"up{job="a\"b\\c\nd", z="1"}"#)
        #expect((["__name__": "up"] as Labels).seriesDescription == "up")
        #expect((["a": "b"] as Labels).seriesDescription == #"{a="b"}"#)
        #expect(Labels.empty.description == "{}")
        #expect(labels.withoutName == ["job": "a\"b\\c\nd", "z": "1"])
    }

    @Test func comparesLikePrometheus() {
        // Cases from Prometheus's labels.Compare tests.
        let ab: Labels = ["a": "1", "b": "2"]
        #expect((["a": "1"] as Labels) < ab)
        #expect(ab < ["a": "1", "c": "1"])
        #expect((["a": "1", "b": "1"] as Labels) < ab)
        #expect(ab < ["b": "0"])
        #expect(!(ab < ab))
        #expect(Labels.empty < (["a": "x"] as Labels))
        // Byte order, not Unicode collation: "Z" (0x5A) sorts before "a" (0x61).
        #expect((["Z": "1"] as Labels) < ["a": "1"])
    }

    @Test func hashingMatchesEquality() {
        let set: Set<Labels> = [["a": "1"], ["a": "1"], ["a": "2"]]
        #expect(set.count == 2)
    }

    /// The one-pass constructor for decoded labels agrees with the sorting one on canonical and
    /// non-canonical input alike.
    @Test func canonicalizingAgreesWithSorting() {
        var rng = SystemRandomNumberGenerator()
        let names = ["__name__", "a", "b", "instance", "job", "zone", "é"]
        for _ in 0..<2_000 {
            var labels: [Label] = (0..<Int.random(in: 0...6, using: &rng)).map { _ in
                Label(name: names.randomElement(using: &rng)!, value: ["", "1", "x", "ü"].randomElement(using: &rng)!)
            }
            if Bool.random(using: &rng) {
                labels = Labels(labels).map { $0 }  // canonical input
            }
            let canonical = Labels(canonicalizing: labels)
            #expect(canonical == Labels(labels), "\(labels)")
            #expect(Array(canonical) == Array(Labels(labels)))
        }
    }
}
