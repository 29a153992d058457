import Testing
import VigilModel
@testable import VigilScrape

/// Push URLs read as the Pushgateway reads them (`handler/push.go` `splitLabels`, base64 forms),
/// with the Pushgateway's status codes and messages for bad ones.
@Suite struct ParsingPushURLs {
    func labels(_ path: String) throws -> [String: String] {
        try GroupingKey.parse(path: path).dictionary
    }

    func failure(_ path: String) -> PushgatewayError? {
        do {
            _ = try GroupingKey.parse(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func plainJobAndLabels() throws {
        #expect(try labels("/metrics/job/j1") == ["job": "j1"])
        #expect(try labels("/metrics/job/j1/instance/i1/zone/eu") == ["job": "j1", "instance": "i1", "zone": "eu"])
        #expect(try labels("/metrics/job/j1/") == ["job": "j1"])
        #expect(try labels("/metrics/job/j1/a/") == ["job": "j1", "a": ""], "a trailing empty value, as Go's split gives")
    }

    @Test func labelOrderDoesNotMatterAndRepeatsKeepTheLast() throws {
        #expect(try GroupingKey.parse(path: "/metrics/job/j/a/1/b/2") == GroupingKey.parse(path: "/metrics/job/j/b/2/a/1"))
        #expect(try labels("/metrics/job/j/a/b/a/c") == ["job": "j", "a": "c"])
        #expect(try labels("/metrics/job/t18/job/zzz") == ["job": "t18"], "the job in the path wins over a job label")
    }

    @Test func base64JobAndValues() throws {
        #expect(try labels("/metrics/job@base64/dDY") == ["job": "t6"])
        for value in ["YQ==", "YQ=", "YQ"] {
            #expect(try labels("/metrics/job/j/a@base64/\(value)") == ["job": "j", "a": "a"], "padding is optional: \(value)")
        }
        #expect(try labels("/metrics/job/j/a@base64/=") == ["job": "j", "a": ""])
        #expect(try labels("/metrics/job/j/path@base64/L3Zhci90bXA") == ["job": "j", "path": "/var/tmp"])
        #expect(try labels("/metrics/job/j/a@base64/YS9i") == ["job": "j", "a": "a/b"])
    }

    @Test func percentEncodingIsDecodedBeforeSplitting() throws {
        #expect(try labels("/metrics/job/j/b/%C3%A9") == ["job": "j", "b": "é"])
        #expect(try labels("/metrics/job/my%20job") == ["job": "my job"])
        #expect(failure("/metrics/job/t13/a/b%2Fc")?.message == "odd number of components in label string \"/a/b/c\"")
    }

    @Test func badPathsAnswer400WithThePushgatewaysMessages() {
        let cases: [(String, String)] = [
            ("/metrics/job/t5/a", "odd number of components in label string \"/a\""),
            ("/metrics/job/t11/a/b/", "odd number of components in label string \"/a/b/\""),
            ("/metrics/job/t5/__a/b", "improper label name \"__a\""),
            ("/metrics/job/t5/a-b/c", "improper label name \"a-b\""),
            ("/metrics/job/t5//c", "improper label name \"\""),
            ("/metrics/job/t5/1a/c", "improper label name \"1a\""),
            ("/metrics/job/t7/a@base64/!!", "invalid base64 encoding for label a=\"!!\": illegal base64 data at input byte 0"),
            ("/metrics/job@base64/!!", "invalid base64 encoding in job name \"!!\": illegal base64 data at input byte 0"),
            ("/metrics/job@base64/=", "job name is required"),
            ("/metrics/job/", "job name is required"),
            ("/metrics/job/j/a@base64/_w", "value of label a is not valid UTF-8"),
            ("/metrics/job/j/a/%zz", "invalid URL escape in \"/metrics/job/j/a/%zz\""),
            ("/metrics/job/j/a/%4", "invalid URL escape in \"/metrics/job/j/a/%4\""),
        ]
        for (path, message) in cases {
            let error = failure(path)
            #expect(error?.httpStatus == 400, "\(path)")
            #expect(error?.message == message, "\(path)")
        }
    }

    @Test func otherPathsAreNotFound() {
        for path in ["/metrics", "/metrics/job", "/metrics/jobs/x", "/metrics/foo/job/x", "/api/v1/metrics", "/metrics/job@base6/eA"] {
            #expect(failure(path)?.httpStatus == 404, "\(path)")
        }
    }

    @Test func pathRoundTrips() throws {
        let keys: [[String: String]] = [
            ["job": "j"],
            ["job": "a/b", "instance": ""],
            ["job": "..", "path": "/var/log", "dot": ".", "space": "a b", "unicode": "é€😀", "percent": "100%"],
        ]
        for labels in keys {
            let key = try GroupingKey(labels: labels)
            #expect(try GroupingKey.parse(path: key.path) == key, "\(key.path)")
        }
        #expect(try GroupingKey(labels: ["job": "j", "a": "x/y"]).path == "/metrics/job/j/a@base64/eC95")
        #expect(try GroupingKey(labels: ["job": "j", "a": ""]).path == "/metrics/job/j/a@base64/=")
    }

    @Test func base64MatchesGoOnEdges() throws {
        #expect(try Base64URL.decode(Array("YWJj".utf8)) == Array("abc".utf8))
        #expect(try Base64URL.decode(Array("YWI".utf8)) == Array("ab".utf8))
        #expect(try Base64URL.decode(Array("".utf8)) == [])
        #expect(throws: Base64URL.CorruptInput(offset: 4)) { try Base64URL.decode(Array("YWJjZ".utf8)) }
        #expect(throws: Base64URL.CorruptInput(offset: 2)) { try Base64URL.decode(Array("YW+j".utf8)) }
        #expect(throws: Base64URL.CorruptInput(offset: 2)) { try Base64URL.decode(Array("YW=j".utf8)) }
        var generator = SystemRandomNumberGenerator()
        for length in 0..<40 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(try Base64URL.decode(Array(Base64URL.encode(bytes).utf8)) == bytes)
        }
    }

    @Test func keysDescribeThemselvesAndSort() throws {
        let key = try GroupingKey(labels: ["job": "j", "b": "2", "a": "1"])
        #expect(key.description == "{a=\"1\",b=\"2\",job=\"j\"}")
        #expect(key.job == "j")
        #expect(try GroupingKey(labels: ["job": "a"]) < GroupingKey(labels: ["job": "b"]))
        #expect(throws: PushgatewayError.self) { try GroupingKey(labels: ["instance": "x"]) }
        #expect(throws: PushgatewayError.self) { try GroupingKey(labels: ["job": "j", "__x": "y"]) }
    }
}
