/// Vigil's default notification templates, loaded before the `templates:` files so that user
/// definitions replace them.
///
/// The text is Vigil's own; the names and the rendered strings of `__subject`, `__description`,
/// `__text_alert_list`, `slack.default.*`, `pagerduty.default.*`, `email.default.subject` and
/// `telegram.default.message` are what Alertmanager's defaults produce, so an alertmanager.yml that
/// relies on them delivers the same messages. `email.default.html` is a simpler HTML page of our
/// own (same subject line). `dingtalk.default.*` and `wecom.default.*` are Vigil's.
enum DefaultTemplates {
    static let text = common + slack + pagerduty + email + telegram + dingtalk + wecom

    /// Shared pieces: the product name, the link to the alert list, the subject line, alert lists.
    private static let common = #"""
        {{- define "__alertmanager" -}} Alertmanager {{- end -}}

        {{- define "__alertmanagerURL" -}}
          {{- print .ExternalURL "/#/alerts?receiver=" (urlquery .Receiver) -}}
        {{- end -}}

        {{- /* [FIRING:2] group values (extra common values) */ -}}
        {{- define "__subject" -}}
          {{- $firing := len .Alerts.Firing -}}
          [{{ toUpper .Status }}{{ if eq .Status "firing" }}:{{ $firing }}{{ end }}]
          {{- print " " (join " " .GroupLabels.SortedPairs.Values) " " -}}
          {{- if lt (len .GroupLabels) (len .CommonLabels) -}}
            ({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ join " " .Values }}{{ end }})
          {{- end -}}
        {{- end -}}

        {{- define "__description" -}}{{- end -}}

        {{- define "__vigil_pairs" -}}
          {{- range .SortedPairs }}{{ printf " - %s = %s\n" .Name .Value }}{{ end -}}
        {{- end -}}

        {{- define "__text_alert_list" -}}
          {{- range . -}}
            {{- "Labels:\n" }}{{ template "__vigil_pairs" .Labels -}}
            {{- "Annotations:\n" }}{{ template "__vigil_pairs" .Annotations -}}
            {{- printf "Source: %s\n" .GeneratorURL -}}
          {{- end -}}
        {{- end -}}

        {{- define "__vigil_firing_then_resolved" -}}
          {{- "\n" -}}
          {{- with .Alerts.Firing }}{{ "\nAlerts Firing:\n" }}{{ template "__text_alert_list" . }}{{ "\n" }}{{ end -}}
          {{- "\n" -}}
          {{- with .Alerts.Resolved }}{{ "\nAlerts Resolved:\n" }}{{ template "__text_alert_list" . }}{{ "\n" }}{{ end -}}
          {{- "\n" -}}
        {{- end -}}

        """#

    private static let slack = #"""
        {{- define "slack.default.title" }}{{ template "__subject" . }}{{ end -}}
        {{- define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end -}}
        {{- define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end -}}
        {{- define "slack.default.fallback" -}}
          {{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}
        {{- end -}}
        {{- define "slack.default.callbackid" }}{{ end -}}
        {{- define "slack.default.pretext" }}{{ end -}}
        {{- define "slack.default.iconemoji" }}{{ end -}}
        {{- define "slack.default.iconurl" }}{{ end -}}
        {{- define "slack.default.text" }}{{ end -}}
        {{- define "slack.default.footer" }}{{ end -}}

        """#

    private static let pagerduty = #"""
        {{- define "pagerduty.default.description" }}{{ template "__subject" . }}{{ end -}}
        {{- define "pagerduty.default.client" }}{{ template "__alertmanager" . }}{{ end -}}
        {{- define "pagerduty.default.clientURL" }}{{ template "__alertmanagerURL" . }}{{ end -}}
        {{- define "pagerduty.default.instances" }}{{ template "__text_alert_list" . }}{{ end -}}

        """#

    private static let email = #"""
        {{- define "email.default.subject" }}{{ template "__subject" . }}{{ end -}}
        {{- define "email.default.html" -}}
        <!DOCTYPE html>
        <html><head><meta charset="UTF-8"><title>{{ template "__subject" . }}</title></head>
        <body style="font-family: sans-serif; font-size: 14px;">
        <h2 style="color: {{ if eq .Status "firing" }}#c0392b{{ else }}#27ae60{{ end }};">{{ template "__subject" . }}</h2>
        <p><a href="{{ template "__alertmanagerURL" . }}">View in {{ template "__alertmanager" . }}</a></p>
        {{- with .Alerts.Firing }}
        <h3>{{ len . }} firing</h3>
        {{ template "__vigil_html_alerts" . }}
        {{- end }}
        {{- with .Alerts.Resolved }}
        <h3>{{ len . }} resolved</h3>
        {{ template "__vigil_html_alerts" . }}
        {{- end }}
        <p style="color: #888;">Sent by Vigil</p>
        </body></html>
        {{- end -}}
        {{- define "__vigil_html_alerts" -}}
        <ul>
        {{- range . }}
        <li><strong>{{ .Labels.alertname }}</strong>
        <table>
        {{- range .Labels.SortedPairs }}<tr><td>{{ .Name }}</td><td>{{ .Value }}</td></tr>{{ end }}
        {{- range .Annotations.SortedPairs }}<tr><td><em>{{ .Name }}</em></td><td>{{ .Value }}</td></tr>{{ end }}
        </table>
        {{- with .GeneratorURL }}<a href="{{ . }}">Source</a>{{ end }}</li>
        {{- end }}
        </ul>
        {{- end -}}

        """#

    private static let telegram = #"""
        {{- define "telegram.default.message" }}{{ template "__vigil_firing_then_resolved" . }}{{ end -}}

        """#

    /// DingTalk markdown: the subject as a heading, then each alert's summary, description and
    /// labels, firing alerts first, and a link to the alert list.
    private static let dingtalk = #"""
        {{- define "__vigil_markdown_alerts" -}}
          {{- range . -}}
            {{- printf "\n**%s**\n" (or .Annotations.summary .Labels.alertname) -}}
            {{- with .Annotations.description }}{{ printf "\n%s\n" . }}{{ end -}}
            {{- "\n" -}}
            {{- range .Labels.SortedPairs }}{{ printf "- %s: %s\n" .Name .Value }}{{ end -}}
            {{- printf "- started: %s\n" (date "2006-01-02 15:04:05 MST" .StartsAt) -}}
          {{- end -}}
        {{- end -}}
        {{- define "dingtalk.default.title" }}{{ template "__subject" . }}{{ end -}}
        {{- define "dingtalk.default.message" -}}
          ### {{ template "__subject" . }}{{ "\n" -}}
          {{- with .Alerts.Firing }}{{ printf "\n#### Firing (%d)\n" (len .) }}{{ template "__vigil_markdown_alerts" . }}{{ end -}}
          {{- with .Alerts.Resolved }}{{ printf "\n#### Resolved (%d)\n" (len .) }}{{ template "__vigil_markdown_alerts" . }}{{ end -}}
          {{- "\n[View in Alertmanager](" }}{{ template "__alertmanagerURL" . }})
        {{- end -}}

        """#

    /// WeCom markdown: the subject in bold, each alert as a quoted block with a coloured name.
    private static let wecom = #"""
        {{- define "wecom.default.message" -}}
          **{{ template "__subject" . }}**{{ "\n" -}}
          {{- range .Alerts -}}
            {{- $colour := "warning" }}{{ if eq .Status "resolved" }}{{ $colour = "info" }}{{ end -}}
            {{- printf "\n> <font color=\"%s\">%s</font> %s\n" $colour .Labels.alertname (or .Annotations.summary "") -}}
            {{- with .Annotations.description }}{{ printf "> %s\n" . }}{{ end -}}
            {{- with .Labels.Remove (stringSlice "alertname") }}{{ printf "> labels: %s\n" (print .) }}{{ end -}}
            {{- printf "> started: %s\n" (date "2006-01-02 15:04:05 MST" .StartsAt) -}}
          {{- end -}}
          {{- "\n[Alertmanager](" }}{{ template "__alertmanagerURL" . }})
        {{- end -}}

        """#
}
