/// The fields of a `type: clickhouse` output: `INSERT INTO <database>.<table> FORMAT JSONEachRow`
/// over ClickHouse's HTTP interface. The table's columns are `timestamp`, `labels` and `line`
/// (docs/LOGS.md has the schema).
public struct ClickHouseOutputConfig: Sendable, Hashable, Decodable {
    /// The HTTP interface, such as `http://clickhouse:8123`. Required.
    public var url: ConfigURL
    /// The database (default `default`).
    public var database: String
    /// The table (default `logs`).
    public var table: String
    /// The user (`X-ClickHouse-User`; default: the server's `default` user).
    public var user: String
    /// A file holding the password (`X-ClickHouse-Key`), read at every request so rotation works.
    public var passwordFile: String
    /// How `timestamp` is written: `datetime64` (default, `'YYYY-MM-DD hh:mm:ss.nnnnnnnnn'` UTC,
    /// for `DateTime64(9)`) or `unix_nanos` (an integer, for `UInt64` or `Int64` on servers before 20.1).
    public var timestampFormat: TimestampFormat
    /// How `labels` is written: `map` (default, a JSON object, for `Map(String, String)`) or
    /// `json_string` (the object as a string, for a `String` column on servers before 21.1).
    public var labelsFormat: LabelsFormat
    /// Request body compression (`none`, default, or `gzip`).
    public var compression: HTTPCompression
    /// TLS, proxy and headers.
    public var httpConfig: HTTPClientConfig

    /// How the `timestamp` column is written.
    public enum TimestampFormat: String, Sendable, Hashable, Decodable {
        /// A `DateTime64(9)` string in UTC.
        case datetime64
        /// Nanoseconds since the epoch, an integer.
        case unixNanos = "unix_nanos"
    }

    /// How the `labels` column is written.
    public enum LabelsFormat: String, Sendable, Hashable, Decodable {
        /// A JSON object (a `Map(String, String)` column).
        case map
        /// A JSON object inside a string (a `String` column).
        case jsonString = "json_string"
    }

    enum CodingKeys: String, CodingKey {
        case url, database, table, user, compression
        case passwordFile = "password_file"
        case timestampFormat = "timestamp_format"
        case labelsFormat = "labels_format"
        case httpConfig = "http_config"
    }

    /// Inserting into `default.logs` at `url`.
    public init(url: ConfigURL) {
        self.url = url
        database = "default"
        table = "logs"
        user = ""
        passwordFile = ""
        timestampFormat = .datetime64
        labelsFormat = .map
        compression = .none
        httpConfig = HTTPClientConfig()
    }

    /// Decodes the ClickHouse fields of an output entry.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(url: try requiredHTTPURL(container, .url, type: "clickhouse"))
        database = try container.value(.database, default: database)
        table = try container.value(.table, default: table)
        user = try container.value(.user, default: "")
        passwordFile = try container.value(.passwordFile, default: "")
        timestampFormat = try container.value(.timestampFormat, default: .datetime64)
        labelsFormat = try container.value(.labelsFormat, default: .map)
        compression = try container.value(.compression, default: .none)
        httpConfig = try container.value(.httpConfig, default: HTTPClientConfig())
        for (key, value) in [(CodingKeys.database, database), (.table, table)] {
            guard let first = value.utf8.first, !(48...57).contains(first),
                  value.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) })
            else {
                throw ConfigValidationError("\(key.stringValue) must be an identifier (letters, digits, _)", field: .key(key.stringValue))
            }
        }
    }
}
