import Crypto
import Foundation
import NIOCore
import NIOSSL

/// Sends one message over SMTP the way Alertmanager's email notifier does: `EHLO` (falling back
/// to `HELO`), `STARTTLS` when offered (required with `require_tls`), authentication when a user
/// name is set (`CRAM-MD5`, `PLAIN` or `LOGIN`, the first the server offers that the credentials
/// allow), `MAIL FROM`, one `RCPT TO` per recipient, `DATA` with dot-stuffing, `QUIT`.
struct SMTPClient: Sendable {
    /// The SMTP server.
    var host: String
    var port: Int
    /// The name sent in `EHLO`.
    var hello: String
    /// Whether the connection must be encrypted (STARTTLS, or port 465).
    var requireTLS: Bool
    var tls: TLSConfiguration
    /// The name the server's certificate must carry.
    var serverName: String
    /// `AUTH` credentials; no authentication when `username` is empty.
    var username: String
    var password: String
    var identity: String
    var secret: String
    /// Bounds each step of the exchange.
    var stepTimeout: TimeAmount

    /// Delivers `message` (headers and body, CRLF line ends) from `sender` to `recipients`.
    func send(message: String, from sender: String, to recipients: [String]) async throws(SMTPError) {
        var connection = try await SMTPConnection.connect(
            host: host, port: port, implicitTLS: port == 465, tls: tls, serverName: serverName, stepTimeout: stepTimeout)
        do {
            try await exchange(&connection, message: message, sender: sender, recipients: recipients)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    private func exchange(
        _ connection: inout SMTPConnection, message: String, sender: String, recipients: [String]
    ) async throws(SMTPError) {
        let greeting = try await connection.reply(to: "connecting")
        try SMTPConnection.check(greeting, expected: [220], step: "greeting")
        var extensions = try await greet(connection)
        if !connection.isTLS {
            if extensions["STARTTLS"] != nil {
                try await connection.command("STARTTLS", expect: [220])
                try await connection.startTLS(tls: tls, serverName: serverName)
                extensions = try await greet(connection)
            } else if requireTLS {
                throw SMTPError(
                    retryable: true, "'require_tls' is true (default) but \"\(host):\(port)\" does not advertise the STARTTLS extension")
            }
        }
        if !username.isEmpty {
            try await authenticate(connection, mechanisms: extensions["AUTH"] ?? "")
        }
        try await connection.command("MAIL FROM:<\(sender)>", expect: [250])
        for recipient in recipients {
            try await connection.command("RCPT TO:<\(recipient)>", expect: [250, 251])
        }
        try await connection.command("DATA", expect: [354])
        try await connection.send(Self.dotStuffed(message) + ".\r\n")
        let accepted = try await connection.reply(to: "end of data")
        try SMTPConnection.check(accepted, expected: [250], step: "end of data")
        // The message is accepted; a failing QUIT does not undo that.
        _ = try? await connection.command("QUIT", expect: [221])
    }

    /// `EHLO`, or `HELO` when the server rejects it; the extensions the server announced, by keyword.
    private func greet(_ connection: SMTPConnection) async throws(SMTPError) -> [String: String] {
        try await connection.send("EHLO \(hello)\r\n")
        let reply = try await connection.reply(to: "EHLO")
        guard reply.code == 250 else {
            try await connection.command("HELO \(hello)", expect: [250])
            return [:]
        }
        var extensions: [String: String] = [:]
        for line in reply.lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard let keyword = parts.first else { continue }
            extensions[keyword.uppercased()] = parts.count > 1 ? String(parts[1]) : ""
        }
        return extensions
    }

    private func authenticate(_ connection: SMTPConnection, mechanisms: String) async throws(SMTPError) {
        for mechanism in mechanisms.uppercased().split(separator: " ") {
            switch mechanism {
            case "CRAM-MD5" where !secret.isEmpty:
                let challenge = try await connection.command("AUTH CRAM-MD5", expect: [334])
                guard let decoded = Data(base64Encoded: challenge.text) else {
                    throw SMTPError(retryable: false, "AUTH CRAM-MD5: malformed challenge")
                }
                let mac = HMAC<Insecure.MD5>.authenticationCode(for: decoded, using: SymmetricKey(data: Array(secret.utf8)))
                let digest = mac.map { String(format: "%02x", $0) }.joined()
                let response = Data("\(username) \(digest)".utf8).base64EncodedString()
                try await connection.command(response, expect: [235], shown: "AUTH CRAM-MD5 response")
                return
            case "PLAIN" where !password.isEmpty:
                guard connection.isTLS || ["localhost", "127.0.0.1", "::1"].contains(host) else {
                    throw SMTPError(retryable: false, "AUTH PLAIN: unencrypted connection")
                }
                let token = Data("\(identity)\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
                try await connection.command("AUTH PLAIN \(token)", expect: [235], shown: "AUTH PLAIN")
                return
            case "LOGIN" where !password.isEmpty:
                try await connection.command("AUTH LOGIN", expect: [334])
                try await connection.command(Data(username.utf8).base64EncodedString(), expect: [334], shown: "AUTH LOGIN user name")
                try await connection.command(Data(password.utf8).base64EncodedString(), expect: [235], shown: "AUTH LOGIN password")
                return
            default:
                continue
            }
        }
        throw SMTPError(retryable: false, "no supported authentication mechanism among \"\(mechanisms)\" for the configured credentials")
    }

    /// The message with CRLF line ends, a final CRLF, and every line starting with `.` given
    /// another `.` (RFC 5321 §4.5.2).
    static func dotStuffed(_ message: String) -> String {
        var out = ""
        out.reserveCapacity(message.utf8.count + 64)
        let lines = message.replacing("\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if index == lines.count - 1 && line.isEmpty { break }
            if line.hasPrefix(".") { out += "." }
            out += line + "\r\n"
        }
        return out
    }
}
