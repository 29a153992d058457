import Testing
import VigilConfig
import VigilAlertmanager

/// A document with a `global` section and `receivers`, as the core's loader would decode it.
private struct Document: Decodable {
    var global: AlertmanagerGlobalConfig
    var receivers: [ReceiverConfig]

    enum CodingKeys: String, CodingKey { case global, receivers }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        global = try container.decodeIfPresent(AlertmanagerGlobalConfig.self, forKey: .global) ?? AlertmanagerGlobalConfig()
        receivers = try container.decodeIfPresent([ReceiverConfig].self, forKey: .receivers) ?? []
    }
}

private func load(_ yaml: String) throws(ConfigError) -> Document {
    try ConfigDecoder.decode(Document.self, fromYAML: yaml, fileName: "alertmanager.yml") { document throws(ConfigValidationError) in
        try ReceiverConfig.inheritGlobal(document.global, receivers: &document.receivers)
    }
}

private func loadError(_ yaml: String) -> ConfigError? {
    do {
        _ = try load(yaml)
        return nil
    } catch {
        return error
    }
}

@Suite("Receiver configuration")
struct ReceiverConfigTests {
    @Test("defaults of each integration and of the global section")
    func defaults() throws {
        let document = try load(
            """
            global:
              smtp_smarthost: mail.example.com:587
              smtp_from: am@example.com
              slack_api_url: https://hooks.slack.com/services/T/B/X
            receivers:
              - name: all
                webhook_configs: [{url: "http://hook.example/x?token=abc"}]
                email_configs: [{to: ops@example.com}]
                slack_configs: [{channel: "#ops"}]
                pagerduty_configs: [{routing_key: abc}]
                telegram_configs: [{bot_token: t, chat_id: 42}]
                dingtalk_configs: [{webhook_url: "https://oapi.dingtalk.com/robot/send?access_token=x", secret: SEC1}]
                wecom_configs: [{webhook_url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}]
            """)
        #expect(document.global.resolveTimeout == .minutes(5))
        #expect(document.global.smtpHello == "localhost")
        #expect(document.global.smtpRequireTLS)
        let receiver = try #require(document.receivers.first)
        let webhook = try #require(receiver.webhookConfigs.first)
        #expect(webhook.sendResolved)
        #expect(webhook.maxAlerts == 0)
        #expect(webhook.httpConfig == .default)
        let email = try #require(receiver.emailConfigs.first)
        #expect(!email.sendResolved)
        #expect(email.smarthost?.description == "mail.example.com:587")
        #expect(email.from == "am@example.com")
        #expect(email.hello == "localhost")
        #expect(email.requireTLS == true)
        #expect(email.html == #"{{ template "email.default.html" . }}"#)
        let slack = try #require(receiver.slackConfigs.first)
        #expect(!slack.sendResolved)
        #expect(slack.title == #"{{ template "slack.default.title" . }}"#)
        #expect(slack.apiURL != nil)
        let pagerduty = try #require(receiver.pagerdutyConfigs.first)
        #expect(pagerduty.url?.string == "https://events.pagerduty.com/v2/enqueue")
        #expect(pagerduty.source == pagerduty.client)
        #expect(pagerduty.details["num_firing"] == "{{ .Alerts.Firing | len }}")
        let telegram = try #require(receiver.telegramConfigs.first)
        #expect(telegram.parseMode == "HTML")
        #expect(telegram.apiURL?.string == "https://api.telegram.org")
        #expect(receiver.dingtalkConfigs.first?.secret != nil)
        #expect(receiver.wecomConfigs.first?.messageType == "markdown")
    }

    @Test("Alertmanager's validation messages, positioned at the offending node")
    func validation() {
        let noURL = loadError("receivers:\n  - name: a\n    webhook_configs:\n      - max_alerts: 3\n")
        #expect(noURL?.description == "alertmanager.yml:4:9: receivers[0].webhook_configs[0]: one of url or url_file must be configured")
        let both = loadError("receivers:\n  - name: a\n    webhook_configs:\n      - {url: 'http://a/', url_file: /x}\n")
        #expect(both?.message == "at most one of url & url_file must be configured")
        let noTo = loadError("receivers:\n  - name: a\n    email_configs:\n      - from: x@y\n")
        #expect(noTo?.message == "missing to address in email config")
        let noSmarthost = loadError("receivers:\n  - name: a\n    email_configs:\n      - to: x@y\n")
        #expect(noSmarthost?.message == "no global SMTP smarthost set")
        #expect(noSmarthost?.fieldPath == "receivers[0].email_configs[0]")
        let noSlack = loadError("receivers:\n  - name: a\n    slack_configs:\n      - channel: x\n")
        #expect(noSlack?.message == "no global Slack API URL set either inline or in a file")
        let noKey = loadError("receivers:\n  - name: a\n    pagerduty_configs:\n      - client: x\n")
        #expect(noKey?.message == "missing service or routing key in PagerDuty config")
        let noChat = loadError("receivers:\n  - name: a\n    telegram_configs:\n      - bot_token: x\n")
        #expect(noChat?.message == "missing chat_id on telegram_config")
        let duplicate = loadError("receivers:\n  - name: a\n  - name: a\n")
        #expect(duplicate?.message == "notification config name \"a\" is not unique")
        let noName = loadError("receivers:\n  - webhook_configs: []\n")
        #expect(noName?.message == "missing name in receiver")
        let typo = loadError("receivers:\n  - name: a\n    webhook_configs:\n      - url: http://a/\n        sendresolved: true\n")
        #expect(typo?.kind == .unknownField)
        let slackField = loadError(
            "global: {slack_api_url: 'http://s/'}\nreceivers:\n  - name: a\n    slack_configs:\n      - fields: [{title: t}]\n")
        #expect(slackField?.message == "missing value in Slack field configuration")
    }

    @Test("a receiver Vigil cannot deliver to is an error naming the receiver and the key")
    func unsupportedReceivers() {
        let error = loadError("receivers:\n  - name: team-x\n    opsgenie_configs:\n      - api_key: k\n")
        #expect(error?.fieldPath == "receivers[0].opsgenie_configs")
        #expect(error?.message.contains("receiver \"team-x\": opsgenie_configs is not yet supported") == true)
        #expect(error?.line == 4)
    }

    @Test("secret URLs never print")
    func secretURLs() throws {
        let document = try load("receivers:\n  - name: a\n    webhook_configs:\n      - url: 'http://h/x?token=SECRET'\n")
        let text = "\(document.receivers)"
        #expect(!text.contains("SECRET"))
        let bad = loadError("receivers:\n  - name: a\n    webhook_configs:\n      - url: 'SECRET'\n")
        #expect(bad?.message.contains("SECRET") == false)
    }

    @Test("email headers are canonicalised and duplicates rejected")
    func emailHeaders() throws {
        let document = try load(
            "global: {smtp_smarthost: 'h:25', smtp_from: a@b}\nreceivers:\n  - name: a\n    email_configs:\n      - to: x@y\n        headers: {x-priority: '1', subject: S}\n")
        #expect(document.receivers[0].emailConfigs[0].headers == ["X-Priority": "1", "Subject": "S"])
        let duplicate = loadError(
            "global: {smtp_smarthost: 'h:25', smtp_from: a@b}\nreceivers:\n  - name: a\n    email_configs:\n      - to: x@y\n        headers: {subject: a, Subject: b}\n")
        #expect(duplicate?.message == "duplicate header \"Subject\" in email config")
        let port = loadError("global: {smtp_smarthost: 'mailhost'}\n")
        #expect(port?.message == "address mailhost: missing port in address")
    }
}
