import Foundation

/// Locates files under `Fixtures/`, which Package.swift copies into the test bundle.
enum Fixtures {
    static var directory: String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").path
    }

    static func path(_ name: String) -> String {
        directory + "/" + name
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }
}
