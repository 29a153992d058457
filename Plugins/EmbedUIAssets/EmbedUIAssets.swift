import Foundation
import PackagePlugin

/// Turns a target's `Assets/` directory into a generated Swift source (one base64 literal per
/// file), so the web UI is part of the binary and editing a `.js` file then `swift build` is
/// enough. Every file under `Assets/` is an input: SwiftPM reruns the generator when one changes.
@main
struct EmbedUIAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let assets = target.directoryURL.appending(path: "Assets")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedAssets.swift")
        var inputs: [URL] = []
        if let walker = FileManager.default.enumerator(at: assets, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                inputs.append(file)
            }
        }
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) UI assets of \(target.name)",
                executable: try context.tool(named: "VigilUIAssetGenerator").url,
                arguments: [assets.path, output.path],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
