import VigilConfig
import NIOSSL
import VigilTemplate
import Foundation
import Logging
import NIOCore
import VigilHTTPClient

/// Delivers to an `email_configs` entry over SMTP.
struct EmailIntegration: Integration {
    let name = "email"
    let index: Int
    let sendResolved: Bool
    let config: EmailConfig
    let templates: NotificationTemplates
    /// Bounds each SMTP step (connecting, each reply, the TLS handshake).
    let timeout: Duration
    let logger: Logger

    func notify(_ data: NotificationData) async throws(IntegrationError) {
        let (message, sender, recipients) = try compose(data, date: Date(), messageID: Self.messageID())
        let client = try client()
        do {
            try await client.send(message: message, from: sender, to: recipients)
        } catch {
            throw IntegrationError(retryable: error.retryable, "send email to \(config.smarthost?.description ?? ""): \(error.description)")
        }
        logger.debug("email notification delivered", metadata: ["recipients": "\(recipients.count)"])
    }

    /// The SMTP client for this configuration (password read from its file now).
    func client() throws(IntegrationError) -> SMTPClient {
        guard let smarthost = config.smarthost else {
            throw IntegrationError(retryable: false, "no SMTP smarthost configured")
        }
        let tls: TLSConfiguration
        do {
            tls = try ConfiguredHTTPClient.tlsConfiguration(config.tlsConfig)
        } catch {
            throw IntegrationError(retryable: false, "TLS setup: \(error)")
        }
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        return SMTPClient(
            host: smarthost.host, port: smarthost.port, hello: config.hello.isEmpty ? "localhost" : config.hello,
            requireTLS: config.requireTLS ?? true, tls: tls,
            serverName: config.tlsConfig.serverName.isEmpty ? smarthost.host : config.tlsConfig.serverName,
            username: config.authUsername, password: try config.authPassword?.resolve(what: "auth_password_file") ?? "",
            identity: config.authIdentity, secret: config.authSecret?.value ?? "", stepTimeout: .nanoseconds(nanoseconds))
    }

    /// The message, the envelope sender and the recipients.
    func compose(_ data: NotificationData, date: Date, messageID: String) throws(IntegrationError) -> (String, String, [String]) {
        var render = FieldRenderer(templates: templates, data: data)
        var headers: [(String, String)] = []
        var names = Set(config.headers.keys)
        for name in config.headers.keys.sorted() {
            headers.append((name, render(config.headers[name] ?? "")))
        }
        // Alertmanager fills in Subject, To and From unless the configuration's headers set them.
        for (name, value) in [("Subject", EmailConfig.defaultSubject), ("To", config.to), ("From", config.from)]
        where !names.contains(name) {
            headers.append((name, render(value)))
            names.insert(name)
        }
        let text = render(config.text)
        try render.check()
        let html: String
        do {
            html = try templates.renderHTML(config.html, data: data)
        } catch {
            throw IntegrationError(retryable: false, "template: \(error.description)")
        }
        let from = headers.first { $0.0 == "From" }?.1 ?? ""
        let to = headers.first { $0.0 == "To" }?.1 ?? ""
        guard let sender = Self.address(from) else {
            throw IntegrationError(retryable: false, "parse 'from' addresses: invalid address \(from.debugDescription)")
        }
        var recipients: [String] = []
        for part in to.split(separator: ",") {
            guard let address = Self.address(String(part)) else {
                throw IntegrationError(retryable: false, "parse 'to' addresses: invalid address \(String(part).debugDescription)")
            }
            recipients.append(address)
        }
        if recipients.isEmpty { throw IntegrationError(retryable: false, "no recipients in 'to'") }
        let boundary = messageID.filter { $0.isLetter || $0.isNumber }
        let message = MIMEMessage(
            headers: headers, text: text, html: html, date: date, messageID: messageID, boundary: String(boundary.prefix(30)))
        return (message.rendered, sender, recipients)
    }

    /// The address in `Name <user@host>` or `user@host`; nil when there is none.
    static func address(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var address = trimmed
        if let open = trimmed.lastIndex(of: "<"), let close = trimmed.lastIndex(of: ">"), open < close {
            address = String(trimmed[trimmed.index(after: open)..<close])
        }
        guard address.contains("@"), !address.contains(" "), !address.contains("<"), !address.contains(">") else { return nil }
        return address
    }

    /// `<random.timestamp@host>`, as Alertmanager builds a Message-Id.
    static func messageID() -> String {
        let host = ProcessInfo.processInfo.hostName
        return "<\(UInt64.random(in: 0...UInt64.max)).\(Int64(Date().timeIntervalSince1970 * 1e9))@\(host.isEmpty ? "localhost" : host)>"
    }
}
