import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VigilHTTPClient

/// An object Vigil writes: its body must name its `apiVersion` and `kind`, or the API server
/// refuses it ("Object 'Kind' is missing").
public protocol KubernetesWritableObject: KubernetesObject {
    /// The `kind` written in bodies (`Lease`).
    static var kind: String { get }
}

extension KubernetesClient {
    /// The largest answer to a single-object call accepted.
    static let maximumObjectBytes = 4 << 20

    /// The object `name` in `namespace`; throws ``KubernetesError`` with
    /// ``KubernetesError/isNotFound`` when it does not exist.
    public func get<Object: KubernetesObject>(
        _ type: Object.Type, namespace: String?, name: String, timeout: Duration = .seconds(10)
    ) async throws -> Object {
        let url = objectURL(Object.resource, namespace: namespace, name: name)
        return try await send(Object.self, url: url, method: .GET, body: nil, expect: [200], timeout: timeout)
    }

    /// Creates `object` in its namespace; answers the stored object (with its resource version).
    /// Throws with ``KubernetesError/isAlreadyExists`` when an object of that name exists.
    public func create<Object: KubernetesWritableObject>(_ object: Object, timeout: Duration = .seconds(10)) async throws -> Object {
        let url = self.url(Object.resource, namespace: object.metadata.namespace, query: [])
        return try await send(Object.self, url: url, method: .POST, body: try Self.body(object), expect: [200, 201], timeout: timeout)
    }

    /// Replaces `object` (PUT) if its `metadata.resourceVersion` is still the stored one; throws
    /// with ``KubernetesError/isConflict`` (HTTP 409) when someone else changed it meanwhile.
    public func update<Object: KubernetesWritableObject>(_ object: Object, timeout: Duration = .seconds(10)) async throws -> Object {
        let url = objectURL(Object.resource, namespace: object.metadata.namespace, name: object.metadata.name)
        return try await send(Object.self, url: url, method: .PUT, body: try Self.body(object), expect: [200, 201], timeout: timeout)
    }

    func objectURL(_ resource: KubernetesResource, namespace: String?, name: String) -> String {
        url(resource, namespace: namespace, query: []) + "/" + Self.queryEscape(name)
    }

    /// The object's JSON with `apiVersion` and `kind` added.
    static func body<Object: KubernetesWritableObject>(_ object: Object) throws -> [UInt8] {
        let encoded = try JSONEncoder().encode(object)
        guard var fields = try JSONSerialization.jsonObject(with: encoded) as? [String: Any] else {
            throw KubernetesError.configuration("\(Object.kind) did not encode as a JSON object")
        }
        let resource = Object.resource
        fields["apiVersion"] = resource.group.isEmpty ? resource.version : "\(resource.group)/\(resource.version)"
        fields["kind"] = Object.kind
        return Array(try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]))
    }

    private func send<Object: KubernetesObject>(
        _ type: Object.Type, url: String, method: HTTPMethod, body: [UInt8]?, expect: Set<UInt>, timeout: Duration
    ) async throws -> Object {
        var request = try await request(url)
        request.method = method
        if let body {
            request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.client(for: url).execute(request, timeout: .nanoseconds(Self.nanoseconds(timeout)))
        guard expect.contains(response.status.code) else { throw await failure(response, url: url) }
        let answer = try await response.body.collect(upTo: Self.maximumObjectBytes)
        do {
            return try JSONDecoder().decode(Object.self, from: Data(answer.readableBytesView))
        } catch {
            throw KubernetesError.decoding("\(Object.resource) object", url: url, offset: 0, error)
        }
    }
}
