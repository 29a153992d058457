import Foundation
import NIOCore
import Testing
import VigilPromQL
@testable import VigilUI

/// What the embedded files refer to exists, the build embedded every file of Assets/, the
/// client's routes are ones the server answers, and the function catalog is the engine's.
@Suite struct UIAssetReferences {
    static let store = UIAssetStore()
    static let assetsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/VigilUI/Assets")

    func text(_ path: String) throws -> String {
        let asset = try #require(Self.store[path], "\(path) is embedded")
        return String(decoding: asset.body.readableBytesView, as: UTF8.self)
    }

    func matches(_ pattern: String, in text: String) throws -> [String] {
        let regex = try NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// `base` (a file's directory) joined with a relative path; nil when it climbs out of Assets/.
    func resolve(_ reference: String, from file: String) -> String? {
        var parts = reference.hasPrefix("/static/") ? [] : file.split(separator: "/").dropLast().map(String.init)
        let relative = reference.hasPrefix("/static/") ? String(reference.dropFirst("/static/".count)) : reference
        for part in relative.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if parts.isEmpty { return nil }
                parts.removeLast()
            } else {
                parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    @Test func everyReferencedFileExists() throws {
        let index = try text("index.html")
        let fromIndex = try matches(#"(?:href|src)="(/static/[^"]+)""#, in: index)
        #expect(fromIndex.count >= 3, "index.html names its stylesheet, script and icon")
        for reference in fromIndex {
            #expect(Self.store[String(reference.dropFirst("/static/".count))] != nil, "index.html → \(reference)")
        }
        let scripts = Self.store.assets.keys.filter { $0.hasSuffix(".js") }
        #expect(scripts.count >= 10)
        var checked = 0
        for file in scripts {
            let source = try text(file)
            let imports = try matches(#"(?:from\s+|import\s*\(\s*)'([^']+)'"#, in: source)
                + matches(#"'(/static/[^']+)'"#, in: source)
            for reference in imports {
                let resolved = try #require(resolve(reference, from: file), "\(file) → \(reference) leaves Assets/")
                #expect(Self.store[resolved] != nil, "\(file) imports \(reference): \(resolved) is not embedded")
                checked += 1
            }
        }
        #expect(checked >= 20, "the import scan found the modules' imports")
    }

    @Test func theBuildEmbedsEveryFileOfTheAssetsDirectory() throws {
        let walker = try #require(FileManager.default.enumerator(at: Self.assetsDirectory, includingPropertiesForKeys: nil))
        var onDisk: [String] = []
        for case let url as URL in walker where !url.hasDirectoryPath {
            let path = url.standardizedFileURL.path.replacingOccurrences(of: Self.assetsDirectory.standardizedFileURL.path + "/", with: "")
            if path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            onDisk.append(path)
            let bytes = try Data(contentsOf: url)
            #expect(Self.store[path].map { Array($0.body.readableBytesView) == [UInt8](bytes) } == true, "\(path) is embedded as it is on disk")
        }
        #expect(onDisk.count >= 10)
        let embedded = Set(Self.store.assets.keys).subtracting([PromQLFunctionCatalog.path])
        #expect(embedded == Set(onDisk), "nothing embedded that is not in Assets/")
    }

    @Test func clientRoutesAreServerPagePaths() throws {
        let routes = try text("js/routes.js")
        let paths = try matches(#"path: '([^']+)'"#, in: routes) + matches(#"'(/[a-z-]*)': '/"#, in: routes)
        #expect(paths.count >= 8)
        for path in paths {
            #expect(WebUI.pagePaths.contains(path), "js/routes.js has \(path); add it to WebUI.pagePaths")
        }
    }

    @Test func functionCatalogIsTheEnginesTable() throws {
        let data = Data(PromQLFunctionCatalog.json().utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let functions = try #require(object["functions"] as? [[String: Any]])
        let names = Set(functions.compactMap { $0["name"] as? String })
        #expect(names == Set(Function.all.keys))
        let rate = try #require(functions.first { $0["name"] as? String == "rate" })
        #expect(rate["args"] as? [String] == ["range vector"])
        #expect(rate["returns"] as? String == "instant vector")
        let aggregations = try #require(object["aggregations"] as? [[String: Any]])
        #expect(Set(aggregations.compactMap { $0["name"] as? String }) == Set(AggregateOperator.allCases.map(\.rawValue)))
        #expect(aggregations.contains { $0["name"] as? String == "topk" && $0["parameter"] as? Bool == true })
    }
}
