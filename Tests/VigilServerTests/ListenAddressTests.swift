import Testing
import VigilNodeAgent
import VigilServer

@Suite struct ListenAddressTests {
    @Test func parsesHostAndPort() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:9470") == ListenAddress(host: "127.0.0.1", port: 9470))
        #expect(try ListenAddress(parsing: "[::1]:80") == ListenAddress(host: "::1", port: 80))
        #expect(try ListenAddress(parsing: ":9090") == ListenAddress(host: "0.0.0.0", port: 9090))
        #expect(try ListenAddress(parsing: "localhost:0").port == 0)
    }

    @Test func printsBracketsForIPv6() {
        #expect(ListenAddress(host: "::1", port: 9470).description == "[::1]:9470")
        #expect(ListenAddress.default.description == "127.0.0.1:9470")
    }

    @Test(arguments: ["9470", "host:", "host:99999", "host:-1", "::1:80", "[::1:80", "a:b"])
    func rejectsMalformed(_ text: String) {
        #expect(throws: ListenAddressError.self) { try ListenAddress(parsing: text) }
    }
}
