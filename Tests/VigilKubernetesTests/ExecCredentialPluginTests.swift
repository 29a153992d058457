import Foundation
import Synchronization
import Testing
@testable import VigilKubernetes
import VigilTestSupport

@Suite struct ExecCredentialPluginTests {
    /// A plugin script that counts its runs in `runs` and prints a token numbered by the run.
    static func plugin(in directory: borrowing TemporaryDirectory, version: String, expiry: String) throws -> String {
        let script = try directory.writeProgram(
            "plugin.sh",
            """
            #!/bin/sh
            echo x >> "\(directory.path)/runs"
            n=$(wc -l < "\(directory.path)/runs" | tr -d ' ')
            case "$KUBERNETES_EXEC_INFO" in *'"kind":"ExecCredential"'*) ;; *) exit 3 ;; esac
            printf '{"kind":"ExecCredential","apiVersion":"%s","spec":{},"status":{"token":"token-%s","expirationTimestamp":"%s"}}' "\(version)" "$n" "\(expiry)"
            """)
        return script
    }

    @Test func tokensAreCachedUntilTheyExpire() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.plugin(in: directory, version: "client.authentication.k8s.io/v1", expiry: "2030-01-01T00:00:00Z")
        let clock = Mutex<Int64>(RFC3339Milliseconds.of("2029-12-31T23:00:00Z"))
        let plugin = ExecCredentialPlugin(ExecCredentialConfig(command: script), now: { clock.withLock { $0 } })
        #expect(try await plugin.token() == "token-1")
        #expect(try await plugin.token() == "token-1")
        clock.withLock { $0 = RFC3339Milliseconds.of("2030-01-01T00:00:01Z") }
        #expect(try await plugin.token() == "token-2")
        plugin.invalidate()
        #expect(try await plugin.token() == "token-3")
    }

    @Test func v1beta1AndVersionMismatches() async throws {
        let directory = try TemporaryDirectory()
        let script = try Self.plugin(
            in: directory, version: "client.authentication.k8s.io/v1beta1", expiry: "2030-01-01T00:00:00Z")
        let matching = ExecCredentialPlugin(ExecCredentialConfig(command: script, apiVersion: "client.authentication.k8s.io/v1beta1"))
        #expect(try await matching.token() == "token-1")
        let mismatched = ExecCredentialPlugin(ExecCredentialConfig(command: script, apiVersion: "client.authentication.k8s.io/v1"))
        await #expect(throws: KubernetesError.self) { try await mismatched.token() }
    }

    @Test func aHangingPluginIsKilled() async throws {
        let directory = try TemporaryDirectory()
        let script = try directory.writeProgram("hang.sh", "#!/bin/sh\nexec sleep 600\n")
        let plugin = ExecCredentialPlugin(ExecCredentialConfig(command: script), timeout: .seconds(1))
        do {
            _ = try await plugin.token()
            Issue.record("a hanging plugin must fail")
        } catch {
            #expect(error.message.contains("exited with status"))
        }
    }

    @Test func failingPluginsAndBadOutputAreErrors() async throws {
        let failing = ExecCredentialPlugin(ExecCredentialConfig(command: "/bin/false"))
        do {
            _ = try await failing.token()
            Issue.record("a failing plugin must throw")
        } catch {
            #expect(error.message.contains("exited with status 1"))
        }
        let bad: [String] = [
            "", "{", #"{"kind":"Pod","apiVersion":"client.authentication.k8s.io/v1"}"#,
            #"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"clientCertificateData":"x"}}"#,
            #"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"t","expirationTimestamp":"soon"}}"#,
        ]
        for output in bad {
            #expect(throws: KubernetesError.self) {
                try ExecCredentialPlugin.parse(Data(output.utf8), expectedVersion: "client.authentication.k8s.io/v1", command: "p")
            }
        }
    }
}

/// RFC 3339 text to Unix milliseconds, for test clocks.
enum RFC3339Milliseconds {
    static func of(_ text: String) -> Int64 {
        ISO8601DateFormatter().date(from: text).map { Int64($0.timeIntervalSince1970 * 1000) } ?? 0
    }
}
