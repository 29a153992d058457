import Foundation

/// Settings every integration shares.
public enum IntegrationDefaults {
    /// How long one delivery may take when its configuration sets no `timeout` (Alertmanager bounds
    /// a notification by the dispatcher's context instead; Vigil bounds each request too).
    public static let requestTimeout: Duration = .seconds(30)
}

/// Reads a credential file (`url_file`, `*_key_file`, `bot_token_file`...), trimmed of surrounding
/// whitespace as Alertmanager does; the error names the field and the path, never the content.
func readCredentialFile(_ path: String, what: String) throws(IntegrationError) -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw IntegrationError(retryable: false, "read \(what): unable to read file \(path)")
    }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
