import Testing
@testable import VigilKubeMetricsAPI

/// Routing and authentication without a socket.
@Suite struct AggregatedAPIServerTests {
    static let authenticator = FrontProxyAuthenticator(
        allowedNames: ["front-proxy-client"], usernameHeaders: ["X-Remote-User"], groupHeaders: ["X-Remote-Group"])

    static func server() -> AggregatedAPIServer {
        let echo = AggregatedAPIGroup(name: "external.metrics.k8s.io", versions: ["v1beta1"]) { path, _ in (200, Array(path.utf8)) }
        let other = AggregatedAPIGroup(name: "metrics.k8s.io", versions: ["v1beta1"]) { _, _ in (204, []) }
        return AggregatedAPIServer(groups: [other, echo], authenticator: authenticator)
    }

    static let user = [(name: "x-remote-user", value: "alice")]

    @Test func theAuthenticatorTrustsHeadersOnlyFromAnAllowedVerifiedProxy() {
        let headers = [(name: "X-Remote-User", value: "alice"), (name: "X-Remote-Group", value: "dev"), (name: "x-remote-group", value: "ops")]
        let identity = Self.authenticator.authenticate(verifiedCommonName: "front-proxy-client", headers: headers)
        #expect(identity == FrontProxyAuthenticator.Identity(user: "alice", groups: ["dev", "ops"]))
        #expect(Self.authenticator.authenticate(verifiedCommonName: nil, headers: headers) == nil)
        #expect(Self.authenticator.authenticate(verifiedCommonName: "kubelet", headers: headers) == nil)
        #expect(Self.authenticator.authenticate(verifiedCommonName: "front-proxy-client", headers: [(name: "X-Remote-User", value: "")]) == nil)
        let anyName = FrontProxyAuthenticator(allowedNames: [], usernameHeaders: ["X-Remote-User"], groupHeaders: [])
        #expect(anyName.authenticate(verifiedCommonName: "kubelet", headers: headers)?.user == "alice")
    }

    @Test func groupsAreListedAndRouted() async {
        let server = Self.server()
        let list = await server.respond(method: "GET", path: "/apis", query: [], verifiedCommonName: "front-proxy-client", headers: Self.user)
        #expect(list.status == 200)
        #expect(
            String(decoding: list.body, as: UTF8.self)
                == #"{"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"metrics.k8s.io","versions":[{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}],"preferredVersion":{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}},{"name":"external.metrics.k8s.io","versions":[{"groupVersion":"external.metrics.k8s.io/v1beta1","version":"v1beta1"}],"preferredVersion":{"groupVersion":"external.metrics.k8s.io/v1beta1","version":"v1beta1"}}]}"#
        )
        let routed = await server.respond(
            method: "GET", path: "/apis/external.metrics.k8s.io/v1beta1/namespaces/a/m", query: [], verifiedCommonName: "front-proxy-client",
            headers: Self.user)
        #expect(routed.status == 200 && String(decoding: routed.body, as: UTF8.self) == "/apis/external.metrics.k8s.io/v1beta1/namespaces/a/m")
        // A group name that is a prefix of another's is not that group.
        let prefix = await server.respond(
            method: "GET", path: "/apis/metrics.k8s.iox/v1beta1", query: [], verifiedCommonName: "front-proxy-client", headers: Self.user)
        #expect(prefix.status == 404)
        let post = await server.respond(method: "POST", path: "/apis", query: [], verifiedCommonName: "front-proxy-client", headers: Self.user)
        #expect(post.status == 405)
    }

    /// Random and mutated paths: every answer is a status with a JSON body, never a crash.
    @Test func randomPathsGetStatusObjects() async {
        let server = Self.server()
        var generator = SystemRandomNumberGenerator()
        let pieces = ["/", "apis", "metrics.k8s.io", "external.metrics.k8s.io", "v1beta1", "nodes", "pods", "namespaces", "%", "..", "", "*", "\u{0}", "é"]
        for _ in 0..<2000 {
            let path = (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let authenticated = Bool.random(using: &generator)
            let answer = await server.respond(
                method: "GET", path: path, query: [], verifiedCommonName: authenticated ? "front-proxy-client" : nil, headers: Self.user)
            if !authenticated && !AggregatedAPIServer.healthPaths.contains(path) {
                #expect(answer.status == 401)
            }
            #expect((200...599).contains(answer.status))
            #expect(answer.status == 204 || answer.body.first == UInt8(ascii: "{") || answer.body.first == UInt8(ascii: "/") || answer.contentType.hasPrefix("text/plain"))
        }
    }
}
