import Testing
import VigilConfig

/// A small section shaped like the ones other Vigil modules will own.
private struct Sample: Decodable, Equatable {
    var name: String
    var count: Int
    var enabled: Bool
    var every: PromDuration
    var tags: [String]
    var nested: Nested?

    struct Nested: Decodable, Equatable {
        var level: Int
        enum CodingKeys: String, CodingKey { case level }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            level = try container.decodeIfPresent(Int.self, forKey: .level) ?? 1
            if level > 10 { throw ConfigValidationError("level too high", field: "level") }
        }
    }

    enum CodingKeys: String, CodingKey { case name, count, enabled, every, tags, nested }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? "default"
        count = try container.decodeIfPresent(Int.self, forKey: .count) ?? 3
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        every = try container.decodeIfPresent(PromDuration.self, forKey: .every) ?? .minutes(1)
        tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
        nested = try container.decodeIfPresent(Nested.self, forKey: .nested)
    }
}

struct ConfigDecoderTests {
    private func decode(_ yaml: String) throws(ConfigError) -> Sample {
        try ConfigDecoder.decode(Sample.self, fromYAML: yaml, fileName: "test.yml")
    }

    private func failure(_ yaml: String) -> ConfigError? {
        do {
            _ = try decode(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["", "\n", "# only a comment\n", "~", "null", "---\n"])
    func emptyDocumentsTakeEveryDefault(yaml: String) throws {
        let sample = try decode(yaml)
        #expect(sample.name == "default")
        #expect(sample.count == 3)
        #expect(sample.every == .minutes(1))
    }

    @Test func nullValuesMeanDefault() throws {
        let sample = try decode("name:\ncount: ~\nenabled: null\nevery:\ntags:\n")
        #expect(sample.name == "default")
        #expect(sample.count == 3)
        #expect(sample.enabled)
        #expect(sample.tags.isEmpty)
    }

    @Test func scalarsDecodeLikeGoYAML() throws {
        let sample = try decode("name: 42\ncount: 0x10\nenabled: off\nevery: 90m\ntags: [1, true, x]\n")
        #expect(sample.name == "42")
        #expect(sample.count == 16)
        #expect(!sample.enabled)
        #expect(sample.every.description == "1h30m")
        #expect(sample.tags == ["1", "true", "x"])
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let sample = try decode("""
            tags: &t [a, b]
            nested:
              <<: {level: 7}
            name: &n shared
            """)
        #expect(sample.tags == ["a", "b"])
        #expect(sample.nested?.level == 7)
        #expect(sample.name == "shared")
    }

    @Test func explicitKeysWinOverMergedOnes() throws {
        let config = try PrometheusConfig.parse(yaml: """
            scrape_configs:
              - &job
                job_name: a
                metrics_path: /a
                scrape_interval: 10s
              - <<: *job
                job_name: b
            """)
        #expect(config.scrapeConfigs.map(\.jobName) == ["a", "b"])
        #expect(config.scrapeConfigs[1].metricsPath == "/a")
        #expect(config.scrapeConfigs[1].scrapeInterval == .seconds(10))
    }

    @Test func unknownFieldIsReportedAtItsKey() throws {
        let error = try #require(failure("name: x\ncolour: red\n"))
        #expect(error.kind == .unknownField)
        #expect((error.line, error.column) == (2, 1))
        #expect(error.fieldPath == "colour")
        #expect(error.description == "test.yml:2:1: colour: unknown field \"colour\"")
    }

    @Test func unknownFieldSuggestsTheClosestKnownOne() throws {
        let error = try #require(failure("nmae: x\n"))
        #expect(error.message == "unknown field \"nmae\" (did you mean \"name\"?)")
    }

    @Test func unknownFieldInNestedMapping() throws {
        let error = try #require(failure("nested:\n  level: 2\n  depth: 3\n"))
        #expect(error.kind == .unknownField)
        #expect(error.fieldPath == "nested.depth")
        #expect((error.line, error.column) == (3, 3))
    }

    @Test func unknownFieldWinsOverTheValidationItCaused() throws {
        let error = try #require(failure("nested:\n  level: 20\n  lvl: 3\n"))
        #expect(error.kind == .unknownField)
    }

    @Test func typeMismatches() throws {
        let notInt = try #require(failure("count: many\n"))
        #expect(notInt.kind == .typeMismatch)
        #expect(notInt.fieldPath == "count")
        #expect((notInt.line, notInt.column) == (1, 8))
        #expect(notInt.message == "expected an integer, got the string \"many\"")

        let notBool = try #require(failure("enabled: \"yes\"\n"))
        #expect(notBool.kind == .typeMismatch)

        let notList = try #require(failure("tags: a\n"))
        #expect(notList.message == "expected a list, got the string \"a\"")

        let notString = try #require(failure("tags: [[a]]\n"))
        #expect(notString.fieldPath == "tags[0]")

        let notMapping = try #require(failure("nested: [1]\n"))
        #expect(notMapping.message == "expected a mapping, got a list")
    }

    @Test func validationErrorsArePositionedAtTheirField() throws {
        let error = try #require(failure("name: x\nnested:\n  level: 11\n"))
        #expect(error.kind == .invalidValue)
        #expect(error.fieldPath == "nested.level")
        #expect((error.line, error.column) == (3, 10))
        #expect(error.message == "level too high")
    }

    @Test func badDurationNamesTheValue() throws {
        let error = try #require(failure("every: 5 minutes\n"))
        #expect(error.description == "test.yml:1:8: every: unknown unit \" minutes\" in duration \"5 minutes\"")
    }

    @Test func duplicateKeysNameTheRepeat() throws {
        let error = try #require(failure("name: a\nnested:\n  level: 1\n  level: 2\n"))
        #expect(error.kind == .duplicateKey)
        #expect(error.fieldPath == "nested.level")
        #expect((error.line, error.column) == (4, 3))
        #expect(error.message == "key \"level\" is already defined at line 3, column 3")
    }

    @Test func syntaxErrorsHavePositions() throws {
        let error = try #require(failure("name: [unclosed\n"))
        #expect(error.kind == .syntax)
        #expect(error.line >= 1)
        let tab = try #require(failure("name: x\n\tcount: 1\n"))
        #expect(tab.kind == .syntax)
        #expect(tab.line == 2)
    }

    @Test func outOfRangeIntegers() throws {
        let error = try #require(failure("count: 99999999999999999999999\n"))
        #expect(error.fieldPath == "count")
    }

    @Test func deepNestingIsRejectedNotCrashing() throws {
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let error = try #require(failure("tags: \(deep)\n"))
        #expect(error.kind == .syntax)
    }

    @Test func postDecodeValidationIsPositioned() throws {
        do {
            _ = try ConfigDecoder.decode(Sample.self, fromYAML: "name: x\ntags: [a, b]\n", fileName: "t.yml") {
                (sample: inout Sample) throws(ConfigValidationError) in
                throw ConfigValidationError("no b allowed", field: "tags", 1)
            }
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "t.yml:2:11: tags[1]: no b allowed")
        }
    }
}
