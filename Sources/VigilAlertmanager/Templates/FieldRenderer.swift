import VigilTemplate

/// Renders an integration's configured fields one after another, keeping the first template error
/// (Alertmanager's `notify.TmplText`): later fields render as "" once one has failed, and
/// ``check()`` reports the failure as a non-retryable ``IntegrationError``.
struct FieldRenderer {
    let templates: NotificationTemplates
    let data: NotificationData
    private(set) var failure: TemplateError?

    init(templates: NotificationTemplates, data: NotificationData) {
        self.templates = templates
        self.data = data
    }

    /// The rendering of `text`, or "" once a field has failed.
    mutating func callAsFunction(_ text: String) -> String {
        guard failure == nil else { return "" }
        do {
            return try templates.render(text, data: data)
        } catch {
            failure = error
            return ""
        }
    }

    /// Throws the first failure, if any.
    func check() throws(IntegrationError) {
        if let failure { throw IntegrationError(retryable: false, "template: \(failure.description)") }
    }
}

/// Cuts `text` to at most `limit` Unicode scalars, the last one replaced by `…` when cut
/// (Alertmanager's `TruncateInRunes`).
func truncateRunes(_ text: String, _ limit: Int) -> (String, Bool) {
    let scalars = text.unicodeScalars
    guard scalars.count > limit else { return (text, false) }
    var out = String.UnicodeScalarView(scalars.prefix(limit - 1))
    out.append("…")
    return (String(out), true)
}

/// Cuts `text` to at most `limit` UTF-8 bytes on a character boundary, ending in `…` when cut
/// (Alertmanager's `TruncateInBytes`).
func truncateBytes(_ text: String, _ limit: Int) -> (String, Bool) {
    guard text.utf8.count > limit else { return (text, false) }
    let budget = limit - "…".utf8.count
    var out = ""
    var used = 0
    for character in text {
        let width = character.utf8.count
        if used + width > budget { break }
        out.append(character)
        used += width
    }
    return (out + "…", true)
}
