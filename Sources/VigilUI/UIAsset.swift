public import NIOCore
import VigilModel

/// One file of the web UI, ready to serve: its bytes, media type and strong entity tag.
public struct UIAsset: Sendable {
    /// The path under `/static/` (`js/app.js`), or `index.html`.
    public let path: String
    /// The bytes, shared by every response (a `ByteBuffer` copy is a reference count).
    public let body: ByteBuffer
    /// The `Content-Type` header value.
    public let contentType: String
    /// The `ETag` header value: a quoted XXHash64 of the bytes, so it changes with the content.
    public let etag: String

    init(path: String, bytes: [UInt8]) {
        self.path = path
        self.body = ByteBuffer(bytes: bytes)
        self.contentType = Self.mediaType(forPath: path)
        self.etag = "\"" + String(XXHash64.hash(bytes), radix: 16) + "\""
    }

    /// The media type for a file name's extension; text types carry `charset=utf-8`.
    static func mediaType(forPath path: String) -> String {
        let name = path.split(separator: "/").last ?? ""
        let ext = name.split(separator: ".").count > 1 ? name.split(separator: ".").last!.lowercased() : ""
        switch ext {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "txt", "md": return "text/plain; charset=utf-8"
        case "woff2": return "font/woff2"
        default: return "application/octet-stream"
        }
    }

    /// Whether an `If-None-Match` header value names this asset's tag (`*`, a list, weak tags).
    func matches(ifNoneMatch header: String) -> Bool {
        for candidate in header.split(separator: ",") {
            var tag = candidate.trimmingSpaces()
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == etag { return true }
        }
        return false
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var slice = self
        while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
        while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
        return slice
    }
}
