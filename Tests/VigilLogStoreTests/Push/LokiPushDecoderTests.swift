import Testing
import VigilLogQL
import VigilLogStore
import VigilModel
import VigilTestSupport

@Suite struct LokiPushDecoderTests {
    @Test func decodesJSONWithStructuredMetadata() throws {
        let body = Array("""
            {"streams":[{"stream":{"app":"api","env":"prod","empty":""},"values":[
              ["1570818238000000000","first line"],
              ["1570818238000000001","second \\u00e9 line",{"trace_id":"abc","user":"ü"}]
            ]}]}
            """.utf8)
        let request = try LokiJSONPushDecoder.decode(body)
        #expect(request.streams.count == 1)
        #expect(request.streams[0].labels == ["app": "api", "env": "prod"])
        #expect(request.streams[0].entries == [
            LogEntry(timestamp: 1_570_818_238_000_000_000, line: Array("first line".utf8)),
            LogEntry(timestamp: 1_570_818_238_000_000_001, line: Array("second é line".utf8), metadata: ["trace_id": "abc", "user": "ü"]),
        ])
    }

    @Test func jsonNumberTimestampIsRefusedWithItsOffset() {
        let body = Array(#"{"streams":[{"stream":{"a":"b"},"values":[[1570818238000000000,"x"]]}]}"#.utf8)
        #expect {
            try LokiJSONPushDecoder.decode(body)
        } throws: { error in
            let error = error as? LogStoreError
            return error?.httpStatus == 400 && error?.message.contains("timestamp must be a string") == true
                && error?.message.contains("at byte 43") == true
        }
    }

    @Test func jsonStreamWithoutLabelsIsRefused() {
        let body = Array(#"{"streams":[{"stream":{},"values":[["1","x"]]}]}"#.utf8)
        #expect(throws: LogStoreError.self) { try LokiJSONPushDecoder.decode(body) }
    }

    @Test func decodesProtobufWithSnappyAndMetadata() throws {
        let message = PushFixtures.protobuf([
            (#"{app="api", path="/v1/\"q\""}"#, [
                (1_700_000_000_123_456_789, "GET /v1 200", [("trace_id", "t1")]),
                (1_700_000_000_223_456_789, "", []),
            ]),
            (#"{app="db"}"#, [(1_700_000_001_000_000_000, "slow query", [])]),
        ])
        let request = try LokiProtobufPushDecoder.decode(snappy: PushFixtures.snappy(message), maxDecodedBytes: 1 << 20)
        #expect(request.streams.map(\.labels) == [["app": "api", "path": "/v1/\"q\""], ["app": "db"]])
        #expect(request.streams[0].entries == [
            LogEntry(timestamp: 1_700_000_000_123_456_789, line: Array("GET /v1 200".utf8), metadata: ["trace_id": "t1"]),
            LogEntry(timestamp: 1_700_000_000_223_456_789, line: []),
        ])
        #expect(request.streams[1].entries.count == 1)
    }

    @Test func protobufOverTheDecodedLimitIs413() {
        let message = PushFixtures.protobuf([(#"{a="b"}"#, [(1, String(repeating: "x", count: 5000), [])])])
        #expect {
            try LokiProtobufPushDecoder.decode(snappy: PushFixtures.snappy(message), maxDecodedBytes: 1000)
        } throws: { ($0 as? LogStoreError)?.httpStatus == 413 }
    }

    @Test func protobufBadLabelsNameTheStream() {
        let message = PushFixtures.protobuf([(#"{a="b"}"#, []), (#"{a=~"b"}"#, [])])
        #expect {
            try LokiProtobufPushDecoder.decode(message)
        } throws: { error in
            let message = (error as? LogStoreError)?.message ?? ""
            return message.contains("streams[1]") && message.contains("only = is allowed")
        }
    }

    @Test func parsesSelectors() throws {
        let matchers = try StreamSelector.parse(#"{app="api", env=~"prod|stag.*", team!="x", path!~`/health.*`,}"#)
        #expect(matchers == [
            try LabelMatcher(.equal, "app", "api"), try LabelMatcher(.regexMatch, "env", "prod|stag.*"),
            try LabelMatcher(.notEqual, "team", "x"), try LabelMatcher(.regexNoMatch, "path", "/health.*"),
        ])
        #expect(throws: LogStoreError.self) { try StreamSelector.parse(#"{app=~".*"}"#) }
        #expect {
            try StreamSelector.parse(#"{app="api" env="x"}"#)
        } throws: { ($0 as? LogStoreError)?.message.contains("at byte 11") == true }
        #expect(try StreamSelector.parseLabels(#"{a="\u00e9\x41\101\n"}"#) == ["a": "éAA\n"])
    }

    /// Random bytes and mutations of valid bodies: every decoder returns or throws a
    /// `LogStoreError`, never crashes or hangs.
    @Test func fuzzedBodiesNeverCrash() async {
        await offTheCooperativePool { checkFuzzedBodiesNeverCrash() }
    }

    private func checkFuzzedBodiesNeverCrash() {
        var random = SplitMix64(seed: 0x10C57)
        let json = Array(#"{"streams":[{"stream":{"app":"api"},"values":[["1700000000000000000","line one",{"k":"v"}],["1700000000000000001","two"]]}]}"#.utf8)
        let proto = PushFixtures.protobuf([(#"{app="api", env="prod"}"#, [(1_700_000_000_000_000_000, "line one", [("k", "v")])])])
        let snappy = PushFixtures.snappy(proto)
        var outcomes = (decoded: 0, refused: 0)
        func record(_ body: () throws(LogStoreError) -> PushRequest) {
            do {
                _ = try body()
                outcomes.decoded += 1
            } catch {
                #expect(!error.message.isEmpty)
                outcomes.refused += 1
            }
        }
        for round in 0..<3000 {
            let base = [json, proto, snappy][round % 3]
            var body = base
            switch random.next() % 4 {
            case 0: body = (0..<Int(random.next() % 200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            case 1: if !body.isEmpty { body.removeSubrange(Int(random.next() % UInt64(body.count))...) }
            default:
                for _ in 0..<(1 + random.next() % 4) where !body.isEmpty {
                    body[Int(random.next() % UInt64(body.count))] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            record { () throws(LogStoreError) in try LokiJSONPushDecoder.decode(body) }
            record { () throws(LogStoreError) in try LokiProtobufPushDecoder.decode(body) }
            record { () throws(LogStoreError) in try LokiProtobufPushDecoder.decode(snappy: body, maxDecodedBytes: 1 << 20) }
        }
        // Both kinds of outcome occur, so the fuzzing reaches past the first byte.
        #expect(outcomes.decoded > 100)
        #expect(outcomes.refused > 100)
    }
}
