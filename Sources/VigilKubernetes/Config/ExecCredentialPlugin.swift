import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import VigilModel

/// Runs an exec credential plugin and caches its token until the `expirationTimestamp` it
/// reports (a token without one is kept until the server rejects it: call ``invalidate()``).
///
/// The plugin gets `KUBERNETES_EXEC_INFO` (`{"apiVersion":…,"kind":"ExecCredential","spec":
/// {"interactive":false}}`) and must print an ExecCredential of the same version
/// (`client.authentication.k8s.io/v1` or `v1beta1`) with `status.token`. Plugins that return a
/// client certificate instead are rejected with a clear error: Vigil builds its TLS context once.
/// Output is capped at 1 MiB, and a plugin that runs longer than `timeout` is killed.
public final class ExecCredentialPlugin: Sendable {
    /// The plugin's configuration.
    public let config: ExecCredentialConfig
    let timeout: Duration
    let now: @Sendable () -> Int64
    private let cached = Mutex<(token: String, expiresAt: Int64?)?>(nil)
    static let maximumOutputBytes = 1 << 20

    /// A plugin runner; `now` gives the wall clock in milliseconds (a seam for tests).
    public init(
        _ config: ExecCredentialConfig, timeout: Duration = .seconds(60),
        now: (@Sendable () -> Int64)? = nil
    ) {
        self.config = config
        self.timeout = timeout
        self.now = now ?? { Int64(Date().timeIntervalSince1970 * 1000) }
    }

    /// The decoded `status` of an ExecCredential.
    struct Credential: Decodable {
        struct Status: Decodable {
            var token: String?
            var expirationTimestamp: String?
            var clientCertificateData: String?
            var clientKeyData: String?
        }
        var apiVersion: String?
        var kind: String?
        var status: Status?
    }

    /// The cached token, or a fresh one from running the plugin.
    public func token() async throws(KubernetesError) -> String {
        let current = now()
        if let cached = cached.withLock({ $0 }), cached.expiresAt.map({ current < $0 }) ?? true {
            return cached.token
        }
        let output = try await run()
        let (token, expiresAt) = try Self.parse(output, expectedVersion: config.apiVersion, command: config.command)
        cached.withLock { $0 = (token, expiresAt) }
        return token
    }

    /// Forgets the cached token (after a 401), so the next request runs the plugin again.
    public func invalidate() {
        cached.withLock { $0 = nil }
    }

    /// The token and its expiry (Unix milliseconds) from a plugin's standard output.
    static func parse(_ output: Data, expectedVersion: String, command: String) throws(KubernetesError) -> (String, Int64?) {
        let credential: Credential
        do {
            credential = try JSONDecoder().decode(Credential.self, from: output)
        } catch {
            throw .credentials("exec plugin \(command): invalid ExecCredential output: \(error)")
        }
        guard credential.kind == "ExecCredential" else {
            throw .credentials("exec plugin \(command): output kind is \(credential.kind ?? "missing"), not ExecCredential")
        }
        guard credential.apiVersion == expectedVersion else {
            throw .credentials(
                "exec plugin \(command): output apiVersion \(credential.apiVersion ?? "missing") does not match \(expectedVersion)")
        }
        guard let status = credential.status else { throw .credentials("exec plugin \(command): output has no status") }
        guard let token = status.token, !token.isEmpty else {
            if status.clientCertificateData != nil {
                throw .credentials("exec plugin \(command): client certificates from exec plugins are not supported; use a token")
            }
            throw .credentials("exec plugin \(command): output has no status.token")
        }
        var expiresAt: Int64? = nil
        if let text = status.expirationTimestamp {
            guard let milliseconds = RFC3339.parse(text) else {
                throw .credentials("exec plugin \(command): invalid status.expirationTimestamp \"\(text)\"")
            }
            expiresAt = milliseconds
        }
        return (token, expiresAt)
    }

    private func run() async throws(KubernetesError) -> Data {
        let process = Process()
        let command = config.command
        if command.contains("/") {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = config.args
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [command] + config.args
        }
        var environment = ProcessInfo.processInfo.environment
        for variable in config.env { environment[variable.name] = variable.value }
        environment["KUBERNETES_EXEC_INFO"] =
            #"{"apiVersion":"\#(config.apiVersion)","kind":"ExecCredential","spec":{"interactive":false}}"#
        process.environment = environment
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let limit = Self.maximumOutputBytes
        let result: Result<(Data, Int32), KubernetesError> = await withCheckedContinuation { continuation in
            let finished = Mutex(false)
            process.terminationHandler = { _ in }
            do {
                try process.run()
            } catch {
                continuation.resume(returning: .failure(.credentials("exec plugin \(command): cannot start: \(error)")))
                return
            }
            let timeout = self.timeout
            // The watchdog kills a plugin that hangs; reading stops at the cap. SIGKILL, because
            // a plugin may inherit an ignored SIGTERM from whatever started Vigil.
            let pid = process.processIdentifier
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: Double(timeout.components.seconds))
                if !finished.withLock({ $0 }) { kill(pid, SIGKILL) }
            }
            Thread.detachNewThread {
                var data = Data()
                let handle = stdout.fileHandleForReading
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                    if data.count > limit {
                        kill(pid, SIGKILL)
                        break
                    }
                }
                process.waitUntilExit()
                finished.withLock { $0 = true }
                if data.count > limit {
                    continuation.resume(returning: .failure(.credentials("exec plugin \(command): output exceeds \(limit) bytes")))
                } else {
                    continuation.resume(returning: .success((data, process.terminationStatus)))
                }
            }
        }
        let (data, status) = try result.get()
        guard status == 0 else { throw .credentials("exec plugin \(command): exited with status \(status)") }
        return data
    }
}
