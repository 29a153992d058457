/// A secret kept in a file (`password_file`, `credentials_file`, `shared_key_file`): read when
/// used, surrounding whitespace trimmed as Prometheus does, never logged.
enum SecretFile {
    /// The file's trimmed contents; nil when it cannot be read (``PosixFile/errorText()`` says why).
    static func read(_ path: String) -> [UInt8]? {
        guard let bytes = PosixFile.contents(path) else { return nil }
        let whitespace: Set<UInt8> = [9, 10, 13, 32]
        return Array(bytes.drop { whitespace.contains($0) }.reversed().drop { whitespace.contains($0) }.reversed())
    }

    /// A secret given inline or in `file` (the file wins when named); nil when the file cannot be read.
    static func value(inline: String, file: String) -> [UInt8]? {
        file.isEmpty ? Array(inline.utf8) : read(file)
    }
}
