/// Why a collector failed a scrape: the file or call involved and what went wrong.
///
/// A struct over a private code so cases can grow without breaking callers.
public struct CollectorError: Error, Sendable, CustomStringConvertible, Equatable {
    private enum Code: Sendable, Equatable {
        case system(errno: Int32)
        case malformed
        case noData
    }

    private let code: Code
    /// The file, directory or system call involved.
    public let path: String
    /// A sentence a person can act on.
    public let message: String

    private init(code: Code, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// A system call on `path` failed with `errno`.
    public static func system(_ errno: Int32, path: String, operation: String) -> CollectorError {
        CollectorError(code: .system(errno: errno), path: path, message: "\(operation): \(describeErrno(errno))")
    }

    /// `path` did not have the expected shape.
    public static func malformed(_ path: String, _ message: String) -> CollectorError {
        CollectorError(code: .malformed, path: path, message: message)
    }

    /// The data does not exist on this system (a module not loaded, no such hardware); reported
    /// as an unsuccessful scrape but logged at debug, as node_exporter's `ErrNoData`.
    public static func noData(_ path: String, _ message: String) -> CollectorError {
        CollectorError(code: .noData, path: path, message: message)
    }

    /// Whether the file or directory did not exist (`ENOENT`).
    public var isNotFound: Bool { code == .system(errno: ENOENTCode) }

    /// Whether this only says the system lacks the data.
    public var isNoData: Bool { code == .noData }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// `ENOENT` on Linux and Darwin alike.
let ENOENTCode: Int32 = 2

func describeErrno(_ value: Int32) -> String {
    switch value {
    case 2: "no such file or directory"
    case 13: "permission denied"
    case 20: "not a directory"
    case 21: "is a directory"
    case 95: "operation not supported"
    default: "errno \(value)"
    }
}
