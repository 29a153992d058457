import Testing
import VigilAlertmanager
import VigilModel
import VigilTemplate

/// The default templates render the strings Alertmanager's default.tmpl renders.
@Suite("Default notification templates")
struct DefaultTemplatesTests {
    let templates = NotificationTemplates.defaults

    private func render(_ name: String, _ data: NotificationData = Fixtures.data()) throws -> String {
        try templates.render("{{ template \"\(name)\" . }}", data: data)
    }

    @Test("__subject: status, firing count, group values, the extra common values")
    func subject() throws {
        #expect(try render("__subject") == "[FIRING:1] HighLatency (api page)")
        var resolved = Fixtures.data([Fixtures.resolved])
        resolved.commonLabels = resolved.groupLabels
        #expect(try render("__subject", resolved) == "[RESOLVED] HighLatency ")
        #expect(try render("email.default.subject") == "[FIRING:1] HighLatency (api page)")
        #expect(try render("__description") == "")
    }

    @Test("slack.default.* and pagerduty.default.*")
    func slackAndPagerDuty() throws {
        let link = "http://am.example:9093/#/alerts?receiver=team-x"
        #expect(try render("slack.default.title") == "[FIRING:1] HighLatency (api page)")
        #expect(try render("slack.default.username") == "Alertmanager")
        #expect(try render("slack.default.titlelink") == link)
        #expect(try render("slack.default.fallback") == "[FIRING:1] HighLatency (api page) | \(link)")
        for empty in ["callbackid", "pretext", "iconemoji", "iconurl", "text", "footer"] {
            #expect(try render("slack.default.\(empty)") == "")
        }
        #expect(try render("pagerduty.default.description") == "[FIRING:1] HighLatency (api page)")
        #expect(try render("pagerduty.default.client") == "Alertmanager")
        #expect(try render("pagerduty.default.clientURL") == link)
        let instances = try templates.render(#"{{ template "pagerduty.default.instances" .Alerts.Firing }}"#, data: Fixtures.data())
        #expect(instances == Fixtures.alertList("a:9100"))
        let receiver = try render("slack.default.titlelink", Fixtures.data(receiver: "a b.c"))
        #expect(receiver == "http://am.example:9093/#/alerts?receiver=a+b%5C.c")
    }

    @Test("__text_alert_list and telegram.default.message")
    func alertLists() throws {
        let list = try templates.render(#"{{ template "__text_alert_list" .Alerts }}"#, data: Fixtures.data())
        #expect(list == Fixtures.alertList("a:9100") + Fixtures.alertList("b:9100"))
        let telegram = try render("telegram.default.message")
        let expected = "\n\nAlerts Firing:\n" + Fixtures.alertList("a:9100") + "\n\n\nAlerts Resolved:\n"
            + Fixtures.alertList("b:9100") + "\n\n"
        #expect(telegram == expected)
        let onlyFiring = try render("telegram.default.message", Fixtures.data([Fixtures.firing]))
        #expect(onlyFiring == "\n\nAlerts Firing:\n" + Fixtures.alertList("a:9100") + "\n\n\n")
    }

    @Test("email.default.html is a page with the subject; DingTalk and WeCom defaults render")
    func htmlAndRobots() throws {
        let html = try templates.renderHTML(#"{{ template "email.default.html" . }}"#, data: Fixtures.data())
        #expect(html.contains("<title>[FIRING:1] HighLatency (api page)</title>"))
        #expect(html.contains("http://prom/graph?g0.expr=x&amp;g0.tab=1"))
        let dingtalk = try render("dingtalk.default.message")
        #expect(dingtalk.hasPrefix("### [FIRING:1] HighLatency (api page)\n"))
        #expect(dingtalk.contains("#### Firing (1)"))
        #expect(dingtalk.contains("- started: 2023-11-14 22:13:20 UTC"))
        let wecom = try render("wecom.default.message")
        #expect(wecom.hasPrefix("**[FIRING:1] HighLatency (api page)**\n"))
        #expect(wecom.contains(#"<font color="warning">HighLatency</font> High latency"#))
        #expect(wecom.contains("> labels: instance=a:9100, job=api, severity=page"))
    }

    @Test("Alertmanager's functions and the methods of its types")
    func functions() throws {
        let data = Fixtures.data()
        func run(_ text: String) throws -> String { try templates.render(text, data: data) }
        #expect(try run("{{ .CommonLabels }}") == "alertname=HighLatency, job=api, severity=page")
        #expect(try run("{{ .CommonLabels.Names }} {{ .GroupLabels.SortedPairs }}") == "[alertname job severity] alertname=HighLatency")
        #expect(try run(#"{{ join "," (.CommonLabels.Remove (stringSlice "job")).Values }}"#) == "HighLatency,page")
        #expect(try run("{{ len .Alerts }} {{ len .Alerts.Firing }} {{ range .Alerts.Resolved }}{{ .Labels.instance }}{{ end }}") == "2 1 b:9100")
        #expect(try run(#"{{ title "hELLO wORLD" }} {{ trimSpace "  x  " }} {{ toUpper "a" }}"#) == "Hello World x A")
        #expect(try run(#"{{ (index .Alerts 0).StartsAt | date "2006-01-02T15:04:05.000Z07:00" }}"#) == "2023-11-14T22:13:20.123Z")
        #expect(try run(#"{{ (index .Alerts 0).StartsAt | tz "Europe/Berlin" | date "15:04 -0700" }}"#) == "23:13 +0100")
        #expect(try run("{{ (index .Alerts 0).EndsAt }}") == "0001-01-01 00:00:00 +0000 UTC")
        #expect(try run("{{ (index .Alerts 1).StartsAt }}") == "2023-11-14 22:13:20.123 +0000 UTC")
        #expect(try run(#"{{ urlUnescape "a%20b+c" }} {{ safeUrl "x" }}"#) == "a b c x")
        #expect(try run("{{ humanizeDuration 3661 }}") == "1h 1m 1s")
        #expect(try run(#"{{ toJson .GroupLabels }} {{ toJson "<a>" }}"#) == #"{"alertname":"HighLatency"} "\u003ca\u003e""#)
        #expect(try run(#"{{ match "^High" .GroupLabels.alertname }} {{ reReplaceAll "(.*)Latency" "$1" "HighLatency" }}"#) == "true High")
        let since = try run("{{ since (index .Alerts 0).StartsAt }}")
        #expect(since.hasSuffix("s"))
        let unknown = #expect(throws: TemplateError.self) { try templates.render("{{ query \"up\" }}", data: data) }
        #expect(unknown?.message == "function \"query\" not defined")
    }

    @Test("user templates replace defaults of the same name")
    func overrides() throws {
        var custom = templates
        try custom.add(#"{{ define "__subject" }}custom {{ .Status }}{{ end }}"#, name: "user.tmpl")
        #expect(try custom.render(#"{{ template "slack.default.title" . }}"#, data: Fixtures.data()) == "custom firing")
        #expect(try templates.render(#"{{ template "slack.default.title" . }}"#, data: Fixtures.data()) == "[FIRING:1] HighLatency (api page)")
        let broken = #expect(throws: NotificationTemplateError.self) { try custom.add("{{ if }}", name: "bad.tmpl") }
        #expect(broken?.description.hasPrefix("bad.tmpl: template: bad.tmpl:1:") == true)
    }
}
