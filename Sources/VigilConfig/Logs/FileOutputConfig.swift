/// How a file or stdout output writes each line.
public enum LineFormat: String, Sendable, Hashable, Decodable {
    /// The line as read, then a newline.
    case raw
    /// `{"timestamp":"<RFC 3339 ns>","labels":{…},"line":"…"}` and a newline.
    case json
}

/// The fields of a `type: file` output: lines appended to a local file, rotated by size.
public struct FileOutputConfig: Sendable, Hashable, Decodable {
    /// The file to append to. Required.
    public var path: String
    /// `raw` (default) or `json`.
    public var format: LineFormat
    /// Rotate once the file reaches this size (default 100MiB): `path` becomes `path.1`, `path.1`
    /// becomes `path.2`, …
    public var maxSize: ByteSize
    /// Rotated files kept (default 5; 0 deletes the file at rotation).
    public var maxFiles: Int

    enum CodingKeys: String, CodingKey {
        case path, format
        case maxSize = "max_size"
        case maxFiles = "max_files"
    }

    /// Appending raw lines to `path`.
    public init(path: String) {
        self.path = path
        format = .raw
        maxSize = ByteSize(bytes: 100 << 20)
        maxFiles = 5
    }

    /// Decodes the file fields of an output entry.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let path = try container.optional(.path, as: String.self), !path.isEmpty else {
            throw ConfigValidationError("a file output needs a path", field: "path")
        }
        self.init(path: path)
        format = try container.value(.format, default: .raw)
        maxSize = try container.value(.maxSize, default: maxSize)
        maxFiles = try container.value(.maxFiles, default: 5)
        guard maxSize.bytes >= 4096 else { throw ConfigValidationError("max_size must be at least 4KiB", field: "max_size") }
        guard (0...1000).contains(maxFiles) else { throw ConfigValidationError("max_files must be between 0 and 1000", field: "max_files") }
    }
}

/// The fields of a `type: stdout` output: lines written to standard output.
public struct StdoutOutputConfig: Sendable, Hashable, Decodable {
    /// `raw` (default) or `json`.
    public var format: LineFormat

    enum CodingKeys: String, CodingKey {
        case format
    }

    /// Raw lines.
    public init(format: LineFormat = .raw) {
        self.format = format
    }

    /// Decodes the stdout fields of an output entry.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.value(.format, default: .raw)
    }
}
