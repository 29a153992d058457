import VigilModel

/// A `meta/v1` `Status` failure object, shaped as kube-apiserver writes it for errors:
/// `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":…,"reason":…,
/// "details":{…},"code":…}`.
public struct KubernetesStatus: Error, Sendable, Equatable {
    /// The HTTP status code, repeated in `code`.
    public var code: Int
    /// The machine-readable reason (`NotFound`, `Unauthorized`, `BadRequest`, …).
    public var reason: String
    /// A message for people.
    public var message: String
    /// `details.name`, when the failure concerns one object.
    public var name: String?
    /// `details.group`.
    public var group: String?
    /// `details.kind` (the resource, as the API server fills it).
    public var kind: String?
    /// `details.causes[].message`, for internal errors.
    public var causes: [String]?

    /// A status object; see the properties.
    public init(
        code: Int, reason: String, message: String, name: String? = nil, group: String? = nil, kind: String? = nil,
        causes: [String]? = nil
    ) {
        self.code = code
        self.reason = reason
        self.message = message
        self.name = name
        self.group = group
        self.kind = kind
        self.causes = causes
    }

    /// A 404 with `message`, as `NewMetricNotFoundError` and friends write it.
    public static func notFound(_ message: String) -> KubernetesStatus {
        KubernetesStatus(code: 404, reason: "NotFound", message: message)
    }

    /// `apierrors.NewInternalError(err)`: 500 with the error as the cause.
    public static func internalError(_ cause: String) -> KubernetesStatus {
        KubernetesStatus(code: 500, reason: "InternalError", message: "Internal error occurred: " + cause, causes: [cause])
    }

    /// `apierrors.NewBadRequest(message)`: 400.
    public static func badRequest(_ message: String) -> KubernetesStatus {
        KubernetesStatus(code: 400, reason: "BadRequest", message: message)
    }

    /// The status and body an ``AggregatedAPIGroup`` handler answers with.
    public var response: (status: Int, body: [UInt8]) { (code, json) }

    /// The API server's 404 for an object: `nodemetrics.metrics.k8s.io "n1" not found`.
    public static func notFound(resource: String, group: String, name: String) -> KubernetesStatus {
        let qualified = group.isEmpty ? resource : resource + "." + group
        return KubernetesStatus(
            code: 404, reason: "NotFound", message: "\(qualified) \(JSONQuoting.quote(name)) not found", name: name, group: group,
            kind: resource)
    }

    /// The API server's 404 for a path nothing serves.
    public static let pathNotFound = KubernetesStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")

    /// The 401 an unauthenticated request gets.
    public static let unauthorized = KubernetesStatus(code: 401, reason: "Unauthorized", message: "Unauthorized")

    /// The 405 for a verb the resource does not support.
    public static let methodNotAllowed = KubernetesStatus(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource")

    /// The JSON body.
    public var json: [UInt8] {
        var out = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"#
        JSONQuoting.append(message, to: &out)
        out += #","reason":"#
        JSONQuoting.append(reason, to: &out)
        var details: [String] = []
        if let name { details.append(#""name":"# + JSONQuoting.quote(name)) }
        if let group { details.append(#""group":"# + JSONQuoting.quote(group)) }
        if let kind { details.append(#""kind":"# + JSONQuoting.quote(kind)) }
        if let causes {
            details.append(#""causes":["# + causes.map { #"{"message":"# + JSONQuoting.quote($0) + "}" }.joined(separator: ",") + "]")
        }
        if !details.isEmpty { out += #","details":{"# + details.joined(separator: ",") + "}" }
        out += #","code":"# + String(code) + "}"
        return Array(out.utf8)
    }
}
