internal import Yams

struct NodeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let mapping: FlatMapping

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { mapping.entries.compactMap { Key(stringValue: $0.key) } }

    private func childPath(_ key: Key) -> [ConfigPathComponent] {
        decoder.path + [.key(key.stringValue)]
    }

    func contains(_ key: Key) -> Bool {
        decoder.request(key.stringValue)
        guard let entry = mapping.entry(key.stringValue) else { return false }
        return !entry.value.isNull
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        decoder.request(key.stringValue)
        return mapping.entry(key.stringValue)?.value.isNull ?? true
    }

    private func value<T: Decodable>(_ type: T.Type, forKey key: Key) throws(ConfigError) -> T {
        decoder.request(key.stringValue)
        guard let entry = mapping.entry(key.stringValue) else {
            throw decoder.missing(key.stringValue)
        }
        return try decoder.decodeChild(type, node: entry.value, path: childPath(key))
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try value(type, forKey: key)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        decoder.request(key.stringValue)
        guard let entry = mapping.entry(key.stringValue), !entry.value.isNull else { return nil }
        return try decoder.decodeChild(type, node: entry.value, path: childPath(key))
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(type, forKey: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(type, forKey: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(type, forKey: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(type, forKey: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(type, forKey: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(type, forKey: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(type, forKey: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(type, forKey: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(type, forKey: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(type, forKey: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(type, forKey: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(type, forKey: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(type, forKey: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(type, forKey: key) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try nestedDecoder(forKey: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try nestedDecoder(forKey: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        try nestedDecoder(forKey: Key(stringValue: "super")!)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        try nestedDecoder(forKey: key)
    }

    private func nestedDecoder(forKey key: Key) throws(ConfigError) -> NodeDecoder {
        decoder.request(key.stringValue)
        guard let entry = mapping.entry(key.stringValue) else {
            throw decoder.missing(key.stringValue)
        }
        return decoder.makeNested(node: entry.value, path: childPath(key))
    }
}

struct NodeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [Node]
    private(set) var currentIndex = 0

    init(decoder: NodeDecoder, items: [Node]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws(ConfigError) -> (Node, [ConfigPathComponent]) {
        guard !isAtEnd else {
            throw decoder.error(.typeMismatch, at: items.last, path: decoder.path, "list has too few elements")
        }
        defer { currentIndex += 1 }
        return (items[currentIndex], decoder.path + [.index(currentIndex)])
    }

    private mutating func value<T: Decodable>(_ type: T.Type) throws(ConfigError) -> T {
        let (node, path) = try next()
        return try decoder.decodeChild(type, node: node, path: path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try value(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
    mutating func decode(_ type: String.Type) throws -> String { try value(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try value(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try value(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try value(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let (node, path) = try next()
        return try decoder.makeNested(node: node, path: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (node, path) = try next()
        return try decoder.makeNested(node: node, path: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (node, path) = try next()
        return decoder.makeNested(node: node, path: path)
    }
}

struct NodeSingleValueContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }
    private var node: Node { decoder.node }

    func decodeNil() -> Bool { node.isNull }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.decodeChild(type, node: node, path: decoder.path)
    }

    /// Any scalar reads as its text, as Go's yaml does for a string field; null is the empty string.
    func decode(_ type: String.Type) throws -> String {
        guard case .scalar(let scalar) = node else { throw decoder.mismatch("a string") }
        return node.isNull ? "" : scalar.string
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .scalar(let scalar) = node, node.tag.rawValue == Tag.Name.bool.rawValue,
            let value = Bool.construct(from: scalar)
        else { throw decoder.mismatch("a boolean (true or false)") }
        return value
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard case .scalar(let scalar) = node,
            node.tag.rawValue == Tag.Name.float.rawValue || node.tag.rawValue == Tag.Name.int.rawValue,
            let value = Double.construct(from: scalar)
        else { throw decoder.mismatch("a number") }
        return value
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws(ConfigError) -> T {
        guard case .scalar(let scalar) = node else { throw decoder.mismatch("an integer") }
        let tag = node.tag.rawValue
        if tag == Tag.Name.int.rawValue {
            if let value = Int64.construct(from: scalar) {
                if value < 0 && !T.isSigned {
                    throw decoder.error(
                        .invalidValue, at: node, path: decoder.path, "must not be negative, got \(node.kindDescription)")
                }
                guard let exact = T(exactly: value) else { throw outOfRange(T.self) }
                return exact
            }
            if let value = UInt64.construct(from: scalar) {
                guard let exact = T(exactly: value) else { throw outOfRange(T.self) }
                return exact
            }
            throw outOfRange(T.self)
        }
        // Go's yaml accepts a float with an integral value (1e3) for an integer field.
        if tag == Tag.Name.float.rawValue, let value = Double.construct(from: scalar),
            value.rounded() == value
        {
            guard let exact = T(exactly: value) else { throw outOfRange(T.self) }
            return exact
        }
        throw decoder.mismatch(T.isSigned ? "an integer" : "a non-negative integer")
    }

    private func outOfRange<T: FixedWidthInteger>(_ type: T.Type) -> ConfigError {
        decoder.error(
            .invalidValue, at: node, path: decoder.path,
            "\(node.kindDescription) is out of range (\(T.min)...\(T.max))")
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
}
