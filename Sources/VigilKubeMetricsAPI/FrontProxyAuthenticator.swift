/// The aggregation layer's request-header authentication, as kube-apiserver's
/// `requestheader` authenticator and metrics-server apply it: the user named in the username
/// headers is believed only on a request whose client certificate was verified against the
/// front-proxy client CA and, when allowed names are set, whose common name is one of them.
/// Everything else is unauthenticated.
public struct FrontProxyAuthenticator: Sendable {
    /// Who a request is from.
    public struct Identity: Sendable, Equatable {
        /// The user (`X-Remote-User`).
        public var user: String
        /// The groups (`X-Remote-Group`, every value).
        public var groups: [String]
    }

    private let allowedNames: Set<String>
    private let usernameHeaders: [String]
    private let groupHeaders: [String]

    /// An authenticator; `allowedNames` empty allows every certificate the CA signed.
    public init(allowedNames: [String], usernameHeaders: [String], groupHeaders: [String]) {
        self.allowedNames = Set(allowedNames)
        self.usernameHeaders = usernameHeaders.map { $0.lowercased() }
        self.groupHeaders = groupHeaders.map { $0.lowercased() }
    }

    /// The identity of a request whose verified client certificate has common name
    /// `verifiedCommonName` (nil: no certificate, or none the front-proxy CA verified), with
    /// `headers` as received; nil when the request is not authenticated.
    public func authenticate(verifiedCommonName: String?, headers: [(name: String, value: String)]) -> Identity? {
        guard let commonName = verifiedCommonName else { return nil }
        if !allowedNames.isEmpty && !allowedNames.contains(commonName) { return nil }
        var user: String?
        for header in usernameHeaders {
            if let value = headers.first(where: { $0.name.lowercased() == header && !$0.value.isEmpty })?.value {
                user = value
                break
            }
        }
        guard let user else { return nil }
        let groups = headers.filter { header in groupHeaders.contains(header.name.lowercased()) }.map(\.value)
        return Identity(user: user, groups: groups)
    }
}
