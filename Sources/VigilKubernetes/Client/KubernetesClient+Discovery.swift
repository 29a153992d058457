import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import VigilHTTPClient

/// Resources known only by name at run time: prometheus-adapter's rules name any resource
/// (`deployments.apps`, a custom resource), so their path comes from the server's discovery
/// documents, and only their metadata is read.
extension KubernetesClient {
    /// The largest discovery document accepted.
    static let maximumDiscoveryBytes = 8 << 20

    /// The resource called `name` (plural, singular or kind, case-insensitive) in `group` (empty:
    /// the core group), at the group's preferred version. Found resources are remembered; an
    /// unknown one is looked up again next time, since a CRD may be installed meanwhile.
    public func discoverResource(group: String, name: String) async throws -> KubernetesResource {
        let cacheKey = group + "/" + name.lowercased()
        if let known = discovered.withLock({ $0[cacheKey] }) { return known }
        let version: String
        if group.isEmpty {
            version = "v1"
        } else {
            let document = try await getJSON(APIGroupDocument.self, path: "/apis/" + group, what: "API group \(group)")
            guard let preferred = document.preferredVersion?.version ?? document.versions.first?.version else {
                throw KubernetesError.configuration("API group \(group) serves no version")
            }
            version = preferred
        }
        let listPath = group.isEmpty ? "/api/v1" : "/apis/\(group)/\(version)"
        let list = try await getJSON(APIResourceListDocument.self, path: listPath, what: "resources of \(listPath)")
        let wanted = name.lowercased()
        guard
            let found = list.resources.first(where: { resource in
                !resource.name.contains("/")
                    && (resource.name == wanted || resource.singularName?.lowercased() == wanted || resource.kind.lowercased() == wanted)
            })
        else {
            throw KubernetesError.configuration("the server has no resource \"\(name)\" in \(group.isEmpty ? "the core group" : group)")
        }
        let resource = KubernetesResource(group: group, version: version, plural: found.name, namespaced: found.namespaced)
        discovered.withLock { $0[cacheKey] = resource }
        return resource
    }

    /// The metadata of every `resource` object in `namespace` (nil or empty: all) that `options`
    /// select, following continue tokens; the API server applies the selectors.
    public func listMetadata(
        _ resource: KubernetesResource, namespace: String?, options: ListOptions = ListOptions()
    ) async throws -> [ObjectMeta] {
        var items: [ObjectMeta] = []
        var token: String? = nil
        repeat {
            var query = options.selectorQuery
            if options.limit > 0 { query.append(("limit", String(options.limit))) }
            if let token, !token.isEmpty { query.append(("continue", token)) }
            let url = url(resource, namespace: namespace, query: query)
            let page = try await getJSON(ObjectList<MetadataItem>.self, url: url, limit: maximumListBytes, what: "\(resource) list")
            items += page.items.map(\.metadata)
            token = page.metadata.continue
        } while !(token ?? "").isEmpty
        return items
    }

    private func getJSON<Document: Decodable>(_ type: Document.Type, path: String, what: String) async throws -> Document {
        try await getJSON(type, url: connection.server + path, limit: Self.maximumDiscoveryBytes, what: what)
    }

    private func getJSON<Document: Decodable>(_ type: Document.Type, url: String, limit: Int, what: String) async throws -> Document {
        let response = try await http.client(for: url).execute(try await request(url), timeout: .seconds(30))
        guard response.status == .ok else { throw await failure(response, url: url) }
        let body = try await response.body.collect(upTo: limit)
        do {
            return try JSONDecoder().decode(Document.self, from: Data(body.readableBytesView))
        } catch {
            throw KubernetesError.decoding(what, url: url, offset: 0, error)
        }
    }
}

/// `/apis/<group>`: an APIGroup with its versions, preferred first.
private struct APIGroupDocument: Decodable {
    struct Version: Decodable { var version: String }
    var versions: [Version]
    var preferredVersion: Version?
}

/// `/api/v1`, `/apis/<group>/<version>`: an APIResourceList.
private struct APIResourceListDocument: Decodable {
    struct Resource: Decodable {
        var name: String
        var singularName: String?
        var namespaced: Bool
        var kind: String
    }
    var resources: [Resource]
}

/// A list item of which only the metadata is read (a PartialObjectMetadata would do as well).
private struct MetadataItem: Decodable, Sendable {
    var metadata: ObjectMeta
}
