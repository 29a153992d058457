import Foundation
import Testing
import VigilConfig

struct ValueTypesTests {
    @Test func secretIsNeverPrinted() {
        let secret = Secret("hunter2")
        #expect(secret.description == "<secret>")
        #expect(String(describing: secret) == "<secret>")
        #expect(String(reflecting: secret) == "<secret>")
        #expect("\(secret)" == "<secret>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(secret.value == "hunter2")
    }

    @Test func secretsInsideConfigsAreNotPrinted() throws {
        let config = try PrometheusConfig.parse(yaml: """
            scrape_configs:
              - job_name: a
                basic_auth: {username: u, password: hunter2}
            """)
        var dumped = ""
        dump(config.scrapeConfigs, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect("\(config.scrapeConfigs[0].httpClient)".contains("hunter2") == false)
        #expect(config.source.contains("hunter2"), "the raw text is kept as written")
    }

    @Test func redactedSourceHidesEveryCredential() throws {
        let config = try PrometheusConfig.load(path: Fixtures.path("full.yml"))
        let redacted = config.redactedSource()
        for secret in ["mysecret", "top-secret", "wJalrXUtnFEMI", "dXNlcjpwYXNz", "\"456\""] {
            #expect(config.source.contains(secret))
            #expect(!redacted.contains(secret), "\(secret) leaked")
        }
        #expect(redacted.contains("<secret>"))
        #expect(redacted.contains("job_name: prometheus"))
        let reparsed = try PrometheusConfig.parse(yaml: redacted)
        #expect(reparsed.scrapeConfigs.map(\.jobName) == config.scrapeConfigs.map(\.jobName))

        let withURL = try PrometheusConfig.parse(yaml: "remote_write:\n  - url: https://u:pw@example.com/push\n")
        #expect(!withURL.redactedSource().contains("pw@"))
    }

    @Test func relabelRegexIsAnchored() throws {
        let regex = try RelabelRegex("foo.*")
        #expect(regex.matches("foobar"))
        #expect(!regex.matches("xfoobar"))
        let alternation = try RelabelRegex("a|b")
        #expect(alternation.matches("a"))
        #expect(!alternation.matches("ab"))
        #expect(alternation.pattern == "a|b")
        #expect(RelabelRegex.matchAll.matches(""))
        #expect(RelabelRegex.matchAll.pattern == "(.*)")
    }

    @Test(arguments: ["(unclosed", "[z-a]", "a{2,1}", "*", "(?<=a)b"])
    func invalidRegexIsRejected(pattern: String) {
        #expect(throws: ConfigValidationError.self) { try RelabelRegex(pattern) }
    }

    @Test(arguments: [
        ("0", 0), ("1B", 1), ("1KB", 1024), ("1KiB", 1024), ("1kB", 1024), ("10MB", 10 << 20),
        ("1.5GiB", 3 << 29), ("1GB512MB", (1 << 30) + (512 << 20)),
    ] as [(String, Int64)])
    func byteSizes(text: String, bytes: Int64) throws {
        #expect(try ByteSize(parsing: text).bytes == bytes)
    }

    @Test(arguments: ["", "10", "MB", "1XB", "-1MB", "1..5MB"])
    func invalidByteSizes(text: String) {
        #expect(throws: ConfigValidationError.self) { try ByteSize(parsing: text) }
    }

    @Test func byteSizePrintsLikePrometheus() {
        #expect(ByteSize(bytes: 10 << 20).description == "10MiB")
        #expect(ByteSize(bytes: 1536).description == "1KiB512B")
        #expect(ByteSize.zero.description == "0B")
    }

    @Test func urls() throws {
        let url = try ConfigURL("https://user:pw@example.com:8443/api/v1/write")
        #expect(url.scheme == "https")
        #expect(url.url.host() == "example.com")
        #expect(!url.description.contains("pw"))
        #expect(url.description.contains("xxxxx"))
        #expect(throws: ConfigValidationError.self) { try ConfigURL("example.com/write") }
        #expect(throws: ConfigValidationError.self) { try ConfigURL("http://") }
        #expect(throws: ConfigValidationError.self) { try ConfigURL("not a url") }
    }

    @Test func externalURLs() throws {
        let root = try ExternalURL("http://vigil.example.com")
        #expect(root.routePrefix == "")
        let prefixed = try ExternalURL("https://example.com/vigil/")
        #expect(prefixed.routePrefix == "/vigil")
        #expect(prefixed.description == "https://example.com/vigil")
        #expect(throws: ConfigValidationError.self) { try ExternalURL("\"http://example.com\"") }
        #expect(throws: ConfigValidationError.self) { try ExternalURL("ftp://example.com") }
        #expect(throws: ConfigValidationError.self) { try ExternalURL("/just/a/path") }
    }
}
