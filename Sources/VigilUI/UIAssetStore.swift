import FoundationEssentials

/// Every file of the web UI, decoded once from the base64 literals the `EmbedUIAssets` build
/// plugin generates from `Sources/VigilUI/Assets/`, plus the documents built from Vigil's own
/// tables (`promql-functions.json`). Immutable after start-up; safe to share.
public struct UIAssetStore: Sendable {
    /// The assets by path under `/static/` (`index.html` is also here).
    public let assets: [String: UIAsset]

    /// The store holding the embedded files and the generated documents.
    public init() {
        var assets: [String: UIAsset] = [:]
        for (path, base64) in embeddedAssetFiles {
            // The generator wrote these literals: one that does not decode is a build defect.
            guard let data = Data(base64Encoded: base64) else { preconditionFailure("embedded asset \(path) is not base64") }
            assets[path] = UIAsset(path: path, bytes: [UInt8](data))
        }
        let functions = PromQLFunctionCatalog.json()
        assets[PromQLFunctionCatalog.path] = UIAsset(path: PromQLFunctionCatalog.path, bytes: Array(functions.utf8))
        self.assets = assets
    }

    /// The asset at `path` (relative to `/static/`), if there is one.
    public subscript(path: String) -> UIAsset? { assets[path] }

    /// The application shell every UI route answers with.
    public var index: UIAsset {
        guard let index = assets["index.html"] else { preconditionFailure("Assets/index.html is missing from the build") }
        return index
    }
}
