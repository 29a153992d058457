public import VigilTemplate
import VigilModel

extension NotificationData {
    /// The data as Alertmanager's templates see it (`template.Data`): `.Receiver` (regexp-quoted,
    /// as Alertmanager does), `.Status`, `.Alerts` (with `.Firing` and `.Resolved`), `.GroupLabels`,
    /// `.CommonLabels`, `.CommonAnnotations` (label sets with `.SortedPairs`, `.Names`, `.Values`,
    /// `.Remove`), `.ExternalURL`.
    public var templateValue: TemplateValue {
        .record([
            "Receiver": .string(quotedReceiver),
            "Status": .string(status.rawValue),
            "Alerts": AlertmanagerTemplateTypes.alerts(alerts.map(\.templateValue)),
            "GroupLabels": AlertmanagerTemplateTypes.kv(groupLabels),
            "CommonLabels": AlertmanagerTemplateTypes.kv(commonLabels),
            "CommonAnnotations": AlertmanagerTemplateTypes.kv(commonAnnotations),
            "ExternalURL": .string(externalURL),
        ])
    }

    /// The receiver name as Alertmanager puts it in template data and webhook payloads: with
    /// regular-expression metacharacters backslash-escaped (Go's `regexp.QuoteMeta`).
    public var quotedReceiver: String {
        var out = ""
        for character in receiver {
            if #"\.+*?()|[]{}^$"#.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

extension NotificationAlert {
    /// One alert as templates see it (`template.Alert`).
    public var templateValue: TemplateValue {
        .record([
            "Status": .string(status.rawValue),
            "Labels": AlertmanagerTemplateTypes.kv(labels),
            "Annotations": AlertmanagerTemplateTypes.kv(annotations),
            "StartsAt": GoTime(nanoseconds: startsAt).templateValue,
            "EndsAt": (endsAt.map { GoTime(nanoseconds: $0) } ?? GoTime.zero).templateValue,
            "GeneratorURL": .string(generatorURL),
            "Fingerprint": .string(fingerprint),
        ])
    }
}
