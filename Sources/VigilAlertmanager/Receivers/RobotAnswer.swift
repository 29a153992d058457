/// The answer of a DingTalk or WeCom robot: HTTP 200 with `{"errcode":0,"errmsg":"ok"}`, or an
/// error code in the body.
enum RobotAnswer {
    /// Throws unless `body` reports `errcode` 0; the codes in `retryable` (rate limits) may succeed later.
    static func check(_ body: [UInt8], service: String, retryable: Set<Int>) throws(IntegrationError) {
        let text = String(decoding: body, as: UTF8.self)
        guard let range = text.firstRange(of: #""errcode""#) else {
            throw IntegrationError(retryable: false, "unexpected answer from \(service): \(text.prefix(HTTPDelivery.errorBodyLimit))")
        }
        let rest = text[range.upperBound...].drop { $0 == ":" || $0 == " " }
        let digits = rest.prefix { $0 == "-" || $0.isNumber }
        guard let code = Int(digits) else {
            throw IntegrationError(retryable: false, "unexpected answer from \(service): \(text.prefix(HTTPDelivery.errorBodyLimit))")
        }
        if code == 0 { return }
        throw IntegrationError(
            retryable: retryable.contains(code), "\(service) error \(code): \(text.prefix(HTTPDelivery.errorBodyLimit))")
    }
}
