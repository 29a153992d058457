import Foundation
import NIOSSL
import Testing
import VigilAlertmanager
import VigilTestSupport

/// The email integration against a real SMTP exchange with ``TestSMTPServer``.
@Suite("Email over SMTP")
struct EmailIntegrationTests {
    /// A self-signed certificate for localhost, its PEM written to a temporary CA file.
    struct Material {
        let server: TLSConfiguration
        let caFile: String
    }

    static func material() throws -> Material {
        let certificate = try TestCertificate.selfSigned()
        let pem = certificate.certificatePEM
        let server = try certificate.serverConfiguration()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-smtp-ca-\(UUID().uuidString).pem").path
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        return Material(server: server, caFile: path)
    }

    private func email(_ port: Int, _ extra: String = "") -> String {
        "  email_configs:\n    - to: 'ops@example.com, Second <dev@example.com>'\n      smarthost: '127.0.0.1:\(port)'\n"
            + "      text: \"{{ .Status }}\\n.leading dot\"\n" + extra
    }

    private let global = "  smtp_from: 'Vigil <am@example.com>'\n  smtp_hello: vigil.test"

    @Test("a plain delivery to two recipients: the conversation and the message")
    func plainDelivery() async throws {
        try await TestSMTPServer.with(.init()) { server in
            try await withIntegrations(email(server.port, "      require_tls: false\n      headers: {X-Team: '{{ .GroupLabels.alertname }}'}\n"), global: global) { integrations in
                try await #require(integrations.first).notify(Fixtures.data())
            }
            #expect(server.conversation == [
                "EHLO vigil.test", "MAIL FROM:<am@example.com>", "RCPT TO:<ops@example.com>", "RCPT TO:<dev@example.com>",
                "DATA", "QUIT",
            ])
            let message = try #require(server.received.first)
            #expect(message.contains("X-Team: HighLatency\r\n"))
            #expect(message.contains("Subject: [FIRING:1] HighLatency (api page)\r\n"))
            #expect(message.contains("To: ops@example.com, Second <dev@example.com>\r\n"))
            #expect(message.contains("From: Vigil <am@example.com>\r\n"))
            #expect(message.contains("MIME-Version: 1.0\r\n"))
            #expect(message.contains("Content-Type: multipart/alternative;"))
            #expect(message.contains("Content-Type: text/plain; charset=UTF-8\r\n\r\nfiring\r\n.leading dot\r\n"))
            #expect(message.contains("Content-Type: text/html; charset=UTF-8"))
            #expect(message.contains("Message-Id: <"))
        }
    }

    @Test("require_tls without STARTTLS on offer is a retryable error")
    func requireTLS() async throws {
        try await TestSMTPServer.with(.init()) { server in
            try await withIntegrations(email(server.port), global: global) { integrations in
                let error = await notifyError(try #require(integrations.first), Fixtures.data())
                #expect(error?.retryable == true)
                #expect(error?.description.contains("does not advertise the STARTTLS extension") == true)
            }
            #expect(!server.conversation.contains("MAIL FROM:<am@example.com>"))
        }
    }

    @Test("STARTTLS, then AUTH PLAIN over the encrypted connection")
    func startTLSAndPlain() async throws {
        let material = try Self.material()
        var behaviour = TestSMTPServer.Behaviour()
        behaviour.tls = material.server
        behaviour.authMechanisms = ["PLAIN", "LOGIN"]
        behaviour.credentials = ("alice", "s3cret")
        try await TestSMTPServer.with(behaviour) { server in
            let extra = "      auth_username: alice\n      auth_password: s3cret\n      tls_config: {ca_file: '\(material.caFile)', server_name: localhost}\n"
            try await withIntegrations(email(server.port, extra), global: global) { integrations in
                try await #require(integrations.first).notify(Fixtures.data())
            }
            let conversation = server.conversation
            #expect(Array(conversation.prefix(3)) == ["EHLO vigil.test", "STARTTLS", "EHLO vigil.test"])
            #expect(conversation.contains("AUTH PLAIN AGFsaWNlAHMzY3JldA=="))
            #expect(server.received.count == 1)
        }
    }

    @Test("AUTH LOGIN; a wrong password is a 5xx, not retryable, and never shown")
    func login() async throws {
        let material = try Self.material()
        var behaviour = TestSMTPServer.Behaviour()
        behaviour.tls = material.server
        behaviour.authMechanisms = ["LOGIN"]
        behaviour.credentials = ("alice", "s3cret")
        try await TestSMTPServer.with(behaviour) { server in
            let tls = "      tls_config: {ca_file: '\(material.caFile)', server_name: localhost}\n"
            try await withIntegrations(email(server.port, "      auth_username: alice\n      auth_password: s3cret\n" + tls), global: global) { integrations in
                try await #require(integrations.first).notify(Fixtures.data())
            }
            #expect(server.conversation.contains("AUTH LOGIN"))
            #expect(server.received.count == 1)
            try await withIntegrations(email(server.port, "      auth_username: alice\n      auth_password: wrong\n" + tls), global: global) { integrations in
                let error = await notifyError(try #require(integrations.first), Fixtures.data())
                #expect(error?.retryable == false)
                #expect(error?.description.contains("535") == true)
                #expect(error?.description.contains("wrong") == false)
            }
        }
    }

    @Test("a 5xx refusal is final, a 4xx one retryable")
    func refusals() async throws {
        var permanent = TestSMTPServer.Behaviour()
        permanent.rcptReply = "550 5.1.1 no such user"
        try await TestSMTPServer.with(permanent) { server in
            try await withIntegrations(email(server.port, "      require_tls: false\n"), global: global) { integrations in
                let error = await notifyError(try #require(integrations.first), Fixtures.data())
                #expect(error?.retryable == false)
                #expect(error?.description.contains("550 5.1.1 no such user") == true)
            }
        }
        var temporary = TestSMTPServer.Behaviour()
        temporary.rcptReply = "450 4.2.1 mailbox busy"
        try await TestSMTPServer.with(temporary) { server in
            try await withIntegrations(email(server.port, "      require_tls: false\n"), global: global) { integrations in
                let error = await notifyError(try #require(integrations.first), Fixtures.data())
                #expect(error?.retryable == true)
            }
        }
    }

    @Test("a server that never answers times out, retryably")
    func stall() async throws {
        var behaviour = TestSMTPServer.Behaviour()
        behaviour.stall = true
        try await TestSMTPServer.with(behaviour) { server in
            try await withIntegrations(email(server.port, "      require_tls: false\n      timeout: 300ms\n"), global: global) { integrations in
                let error = await notifyError(try #require(integrations.first), Fixtures.data())
                #expect(error?.retryable == true)
                #expect(error?.description.contains("timed out") == true)
            }
        }
    }
}
