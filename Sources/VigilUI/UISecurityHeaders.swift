import HTTPTypes

/// The headers every UI response carries. The policy allows only this server's own files: no
/// inline script or style (the DOM is built with `textContent`, styles with the CSSOM, which CSP
/// permits), no framing (clickjacking), no plugins, no `<base>` rewriting; `connect-src 'self'`
/// covers the JSON APIs and the Loki tail WebSocket on the same origin.
enum UISecurityHeaders {
    static let contentSecurityPolicy = [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
        "connect-src 'self'", "manifest-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static let fields: HTTPFields = [
        .contentSecurityPolicy: contentSecurityPolicy,
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("X-Frame-Options")!: "DENY",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        HTTPField.Name("Cross-Origin-Opener-Policy")!: "same-origin",
    ]
}
