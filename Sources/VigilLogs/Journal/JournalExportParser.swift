/// Splits `journalctl -o export` output into entries (systemd's "Journal Export Format").
///
/// An entry is fields, one per line, ended by an empty line. A text field is `NAME=value\n`; a
/// binary one is `NAME\n`, a little-endian u64 length, the bytes, `\n`. Fed in arbitrary pieces;
/// errors name the byte offset in the stream and are fatal (the stream cannot be resynchronised).
struct JournalExportParser: Sendable {
    /// One journal entry's fields in the order given (a name may repeat).
    struct Entry: Sendable, Equatable {
        var fields: [(name: String, value: [UInt8])]
        /// The entry was larger than `max_entry_size`: only `__CURSOR` and the timestamps were kept.
        var isOversized = false

        static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
        }

        /// The first value of `name`.
        func value(_ name: String) -> [UInt8]? { fields.first { $0.name == name }?.value }

        /// The first value of `name` as text.
        func text(_ name: String) -> String? { value(name).map { String(decoding: $0, as: UTF8.self) } }
    }

    let maxEntrySize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var consumedBefore = 0
    private var fields: [(name: String, value: [UInt8])] = []
    private var entryBytes = 0
    private var oversized = false

    init(maxEntrySize: Int) {
        self.maxEntrySize = maxEntrySize
    }

    mutating func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            consumedBefore += start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole entry, or nil when more bytes are needed.
    mutating func next() throws(SyslogParseError) -> Entry? {
        while start < buffer.count {
            guard let newline = buffer[start...].firstIndex(of: 0x0a) else {
                if buffer.count - start > maxEntrySize {
                    throw SyslogParseError(message: "a field runs past max_entry_size without a newline", offset: consumedBefore + start)
                }
                return nil
            }
            if newline == start {
                start += 1
                guard !fields.isEmpty else { continue }
                defer {
                    fields = []
                    entryBytes = 0
                    oversized = false
                }
                return Entry(fields: fields, isOversized: oversized)
            }
            let line = buffer[start..<newline]
            if let equals = line.firstIndex(of: UInt8(ascii: "=")) {
                let name = String(decoding: buffer[start..<equals], as: UTF8.self)
                try add(name, Array(buffer[(equals + 1)..<newline]), at: start)
                start = newline + 1
                continue
            }
            // Binary field: NAME\n, u64 LE length, data, \n.
            let lengthStart = newline + 1
            guard buffer.count - lengthStart >= 8 else { return nil }
            var length: UInt64 = 0
            for index in 0..<8 { length |= UInt64(buffer[lengthStart + index]) << (8 * UInt64(index)) }
            // Larger than any entry kept: buffering it to skip it would cost more than it is worth.
            guard length <= UInt64(maxEntrySize) * 16 else {
                throw SyslogParseError(
                    message: "binary field \(String(decoding: line, as: UTF8.self)) of \(length) bytes exceeds max_entry_size",
                    offset: consumedBefore + lengthStart)
            }
            let dataStart = lengthStart + 8
            let dataEnd = dataStart + Int(length)
            guard buffer.count > dataEnd else { return nil }
            guard buffer[dataEnd] == 0x0a else {
                throw SyslogParseError(message: "a binary field's data is not followed by a newline", offset: consumedBefore + dataEnd)
            }
            try add(String(decoding: line, as: UTF8.self), Array(buffer[dataStart..<dataEnd]), at: start)
            start = dataEnd + 1
        }
        return nil
    }

    private mutating func add(_ name: String, _ value: [UInt8], at offset: Int) throws(SyslogParseError) {
        guard !name.isEmpty else { throw SyslogParseError(message: "a field has no name", offset: consumedBefore + offset) }
        entryBytes += name.utf8.count + value.count
        if entryBytes > maxEntrySize && !oversized {
            oversized = true
            fields.removeAll { !$0.name.hasPrefix("__") }
        }
        if !oversized || name.hasPrefix("__") { fields.append((name, value)) }
    }
}
