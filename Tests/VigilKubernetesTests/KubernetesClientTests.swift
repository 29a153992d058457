import Foundation
import Synchronization
import Testing
import VigilConfig
@testable import VigilKubernetes
import VigilTestSupport

@Suite struct KubernetesClientTests {
    /// Runs `body` with a client of `url`, shutting it down afterwards.
    static func withClient(_ url: String, _ body: (KubernetesClient) async throws -> Void) async throws {
        try await withClient(KubernetesConnection(server: url), body)
    }

    /// Runs `body` with a client of `connection`, shutting it down afterwards.
    static func withClient(_ connection: KubernetesConnection, _ body: (KubernetesClient) async throws -> Void) async throws {
        let client = try KubernetesClient(connection: connection, logger: quietLogger)
        do {
            try await body(client)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    @Test func listsFollowContinueTokensFromOneSnapshot() async throws {
        let server = FakeKubernetesAPIServer()
        for index in 0..<7 { try server.apply(KubernetesFixtures.pod("p\(index)", ip: "10.1.0.\(index)")) }
        try server.apply(KubernetesFixtures.pod("elsewhere", ip: "10.2.0.1", namespace: "other"))
        try await server.run { url in
            try await Self.withClient(url) { client in
                let version = server.resourceVersion
                let (items, listVersion) = try await client.list(Pod.self, namespace: "shop", options: ListOptions(limit: 3))
                #expect(items.map(\.metadata.name) == (0..<7).map { "p\($0)" })
                #expect(listVersion == String(version))
                let lists = server.requests.filter { $0.hasPrefix("/api/v1/namespaces/shop/pods") }
                #expect(lists.count == 3)
                #expect(lists.first == "/api/v1/namespaces/shop/pods?limit=3")
                #expect(lists.dropFirst().allSatisfy { $0.contains("continue=") })
                let all = try await client.list(Pod.self, namespace: nil, options: ListOptions(limit: 0))
                #expect(all.items.count == 8)
            }
        }
    }

    @Test func theFixturesDecodeIntoTypedObjects() async throws {
        let server = FakeKubernetesAPIServer()
        for object in KubernetesFixtures.cluster { try server.apply(object) }
        try await server.run { url in
            try await Self.withClient(url) { client in
                let pods = try await client.list(Pod.self, namespace: "shop").items
                let web = try #require(pods.first { $0.metadata.name == "web-7d4b9c-x2x8k" })
                #expect(web.status?.podIP == "10.244.1.7")
                #expect(web.spec?.containers?.first?.ports?.map(\.containerPort) == [8080, 9090])
                #expect(web.metadata.controller?.kind == "ReplicaSet")
                #expect(web.metadata.annotations["prometheus.io/port"] == "8080")
                let node = try #require(try await client.list(Node.self, namespace: nil).items.first)
                #expect(node.status?.daemonEndpoints?.kubeletEndpoint?.port == 10250)
                #expect(node.spec?.providerID == "aws:///eu-1a/i-0abc")
                let slice = try #require(try await client.list(EndpointSlice.self, namespace: "shop").items.first)
                #expect(slice.endpoints?.first?.conditions?.ready == true)
                let ingress = try #require(try await client.list(Ingress.self, namespace: nil).items.first)
                #expect(ingress.spec?.rules?.count == 2)
                #expect(try await client.list(Service.self, namespace: "shop").items.first?.spec?.clusterIP == "10.96.0.20")
                #expect(try await client.list(Endpoints.self, namespace: "shop").items.first?.subsets?.first?.addresses?.first?.ip == "10.244.1.7")
            }
        }
    }

    @Test func watchesDeliverEventsBookmarksAndFailOn410() async throws {
        let server = FakeKubernetesAPIServer()
        try server.apply(KubernetesFixtures.pod("a", ip: "10.1.0.1"))
        try await server.run { url in
            try await Self.withClient(url) { client in
                let start = String(server.resourceVersion)
                let seen = Mutex<[String]>([])
                let watching = Task {
                    try await client.watch(Pod.self, namespace: "shop", resourceVersion: start, timeoutSeconds: 60, stallTimeout: .seconds(120)) { event in
                        let text: String = switch event {
                        case .added(let pod): "ADDED \(pod.metadata.name)"
                        case .modified(let pod): "MODIFIED \(pod.metadata.name)"
                        case .deleted(let pod): "DELETED \(pod.metadata.name)"
                        case .bookmark(let version): "BOOKMARK \(version)"
                        }
                        seen.withLock { $0.append(text) }
                    }
                }
                let open = await eventually { server.openWatches == 1 }
                #expect(open)
                try server.apply(KubernetesFixtures.pod("b", ip: "10.1.0.2"))
                try server.apply(KubernetesFixtures.pod("b", ip: "10.1.0.3"))
                try server.delete(apiVersion: "v1", kind: "Pod", namespace: "shop", name: "a")
                server.sendBookmarks()
                let bookmark = "BOOKMARK \(server.resourceVersion)"
                let all = await eventually { seen.withLock { $0.count } == 4 }
                #expect(all)
                #expect(seen.withLock { $0 } == ["ADDED b", "MODIFIED b", "DELETED a", bookmark])
                #expect(server.requests.last?.contains("allowWatchBookmarks=true") == true)
                server.closeWatches()
                let end = try await watching.value
                #expect(end.events == 4)
                #expect(end.resourceVersion == String(server.resourceVersion))

                server.compact()
                do {
                    _ = try await client.watch(Pod.self, namespace: "shop", resourceVersion: start, timeoutSeconds: 60, stallTimeout: .seconds(120)) { _ in }
                    Issue.record("a compacted version must be refused")
                } catch let error as KubernetesError {
                    #expect(error.isGone)
                    #expect(error.status?.reason == "Expired")
                }
                server.expiredAnswer = .errorEvent
                do {
                    _ = try await client.watch(Pod.self, namespace: "shop", resourceVersion: start, timeoutSeconds: 60, stallTimeout: .seconds(120)) { _ in }
                    Issue.record("an in-stream 410 must be an error")
                } catch let error as KubernetesError {
                    #expect(error.isGone)
                    #expect(error.status?.code == 410)
                }
            }
        }
    }

    @Test func aStalledWatchIsAbandoned() async throws {
        let server = FakeKubernetesAPIServer()
        server.stallNewWatches = true
        try await server.run { url in
            try await Self.withClient(url) { client in
                do {
                    _ = try await client.watch(Pod.self, namespace: nil, resourceVersion: "1", timeoutSeconds: 1, stallTimeout: .milliseconds(300)) { _ in }
                    Issue.record("a silent stream must be declared stalled")
                } catch let error as KubernetesError {
                    #expect(error.isStall)
                }
            }
        }
    }

    @Test func linesOverTheLimitAreRefusedWithTheirOffset() throws {
        var splitter = WatchLineSplitter(limit: 8)
        let lines = try splitter.append(Array("{\"a\":1}\n\n{\"b\":2}\n{\"c\"".utf8), url: "u")
        #expect(lines.map { String(decoding: $0.line, as: UTF8.self) } == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(lines.map(\.offset) == [0, 9])
        #expect(throws: KubernetesError.self) { try splitter.append(Array(":12345}\n".utf8), url: "u") }
    }

    @Test func randomChunkingSplitsTheSameLines() throws {
        var generator = SplitMix64(seed: 7)
        let text = (0..<200).map { #"{"type":"ADDED","object":{"metadata":{"name":"p\#($0)"}}}"# }.joined(separator: "\n") + "\n"
        let bytes = Array(text.utf8)
        var whole = WatchLineSplitter(limit: 1 << 10)
        let expected = try whole.append(bytes, url: "u").map(\.line)
        for _ in 0..<50 {
            var splitter = WatchLineSplitter(limit: 1 << 10)
            var lines: [[UInt8]] = []
            var index = 0
            while index < bytes.count {
                let size = Int(generator.next() % 97) + 1
                let end = min(bytes.count, index + size)
                lines += try splitter.append(bytes[index..<end], url: "u").map(\.line)
                index = end
            }
            #expect(lines == expected)
        }
    }

    @Test func fuzzedWatchLinesNeverCrash() {
        var generator = SplitMix64(seed: 42)
        let seeds = [
            #"{"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"a","resourceVersion":"5"},"spec":{"containers":[{"name":"c","ports":[{"containerPort":80}]}]}}}"#,
            #"{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}}"#,
            #"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}"#,
        ]
        var decoded = 0
        for round in 0..<3000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            if round % 10 == 0 {
                bytes = (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                for _ in 0..<Int(generator.next() % 4) + 1 {
                    let position = Int(generator.next() % UInt64(bytes.count))
                    switch generator.next() % 3 {
                    case 0: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                    case 1: bytes.remove(at: position)
                    default: bytes.insert(UInt8(ascii: "\""), at: position)
                    }
                    if bytes.isEmpty { break }
                }
            }
            do {
                _ = try KubernetesClient.decodeEvent(Pod.self, bytes, offset: 0, url: "u")
                decoded += 1
            } catch {
                // A typed error is the right answer to damage.
            }
        }
        #expect(decoded > 0)
    }
}

@Suite struct KubernetesCredentialTests {
    @Test func rotatedServiceAccountTokensAreUsedAtOnce() async throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("token", "first\n")
        let server = FakeKubernetesAPIServer()
        try await server.run { url in
            let port = url.split(separator: ":").last.map(String.init) ?? ""
            var connection = try KubernetesConnection.inCluster(
                environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": port],
                serviceAccountDirectory: directory.path)
            // The fake serves plain HTTP; everything else is the in-cluster connection.
            connection.server = url
            try await KubernetesClientTests.withClient(connection) { client in
                _ = try await client.list(Pod.self, namespace: nil)
                _ = try directory.write("token", "second\n")
                _ = try await client.list(Pod.self, namespace: nil)
            }
            #expect(server.authorizations == ["Bearer first", "Bearer second"])
        }
    }

    @Test func execPluginTokensGoIntoRequests() async throws {
        let directory = try TemporaryDirectory()
        let script = try ExecCredentialPluginTests.plugin(
            in: directory, version: "client.authentication.k8s.io/v1", expiry: "2999-01-01T00:00:00Z")
        let kubeconfig = try directory.write(
            "config",
            """
            current-context: c
            contexts: [{name: c, context: {cluster: k, user: u}}]
            clusters: [{name: k, cluster: {server: "http://placeholder"}}]
            users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: \(script)}}}]
            """)
        let server = FakeKubernetesAPIServer()
        try await server.run { url in
            var connection = try KubeConfig.load(path: kubeconfig).connection()
            connection.server = url
            try await KubernetesClientTests.withClient(connection) { client in
                _ = try await client.list(Pod.self, namespace: nil)
                _ = try await client.list(Pod.self, namespace: nil)
            }
            // One plugin run, cached until its expiry.
            #expect(server.authorizations == ["Bearer token-1", "Bearer token-1"])
        }
    }

    @Test func fuzzedKubeconfigsFailCleanly() {
        var generator = SplitMix64(seed: 11)
        let seed = Array(KubeConfigTests.yaml.utf8)
        var parsed = 0
        for _ in 0..<300 {
            var bytes = seed
            for _ in 0..<Int(generator.next() % 6) + 1 {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: generator.next() % 128)
                case 1: bytes.remove(at: position)
                default: bytes.insert(UInt8(ascii: ":"), at: position)
                }
            }
            do {
                let config = try KubeConfig(yaml: String(decoding: bytes, as: UTF8.self), path: "/k/config")
                _ = try? config.connection()
                parsed += 1
            } catch {
                #expect(error.message.hasPrefix("/k/config: invalid kubeconfig"))
            }
        }
        #expect(parsed > 0)
    }
}
