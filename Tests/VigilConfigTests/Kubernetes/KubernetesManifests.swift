import Foundation
import Yams

/// One YAML document of a file under deploy/kubernetes/, as a plain tree.
struct Manifest {
    /// The file's path relative to deploy/kubernetes/.
    var file: String
    /// The document's position in its file, from 0.
    var index: Int
    var object: [String: Any]

    var kind: String { object["kind"] as? String ?? "" }
    var name: String { (object["metadata"] as? [String: Any])?["name"] as? String ?? "" }
    /// The object's namespace; "" for cluster-scoped objects and those that leave it out.
    var namespace: String { (object["metadata"] as? [String: Any])?["namespace"] as? String ?? "" }
    var place: String { "\(file)#\(index) \(kind)/\(name)" }
}

/// Reads deploy/kubernetes/ and its kustomizations.
enum KubernetesManifests {
    /// deploy/kubernetes/ of this checkout, found from this source file's path.
    static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/kubernetes")
    }

    /// Every `.yaml`/`.yml` file under `directory`, relative paths, sorted.
    static func yamlFiles(in directory: URL) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".yaml") || path.hasSuffix(".yml") { files.append(path) }
        }
        return files.sorted()
    }

    /// Every document of every file but the kustomizations; an empty document is an error.
    static func load(from directory: URL) throws -> [Manifest] {
        var manifests: [Manifest] = []
        for file in try yamlFiles(in: directory) where !isKustomization(file) {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for (index, document) in try Yams.load_all(yaml: text).enumerated() {
                guard let object = document as? [String: Any] else {
                    throw ManifestError(message: "\(file)#\(index): not a mapping")
                }
                manifests.append(Manifest(file: file, index: index, object: object))
            }
        }
        return manifests
    }

    static func isKustomization(_ file: String) -> Bool {
        (file as NSString).lastPathComponent == "kustomization.yaml"
    }

    /// The `resources` of the kustomization at `file` (relative to `directory`).
    static func kustomizationResources(_ file: String, in directory: URL) throws -> [String] {
        let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        guard let object = try Yams.load(yaml: text) as? [String: Any] else {
            throw ManifestError(message: "\(file): not a mapping")
        }
        return object["resources"] as? [String] ?? []
    }
}

struct ManifestError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
