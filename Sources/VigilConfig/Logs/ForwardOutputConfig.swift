/// The fields of a `type: forward` output: Fluentd's forward protocol over TCP, in
/// `PackedForward` mode, each batch waiting for its `ack`.
public struct ForwardOutputConfig: Sendable, Hashable, Decodable {
    /// `host:port` of the Fluentd (or Fluent Bit) `in_forward`. Required.
    public var address: String
    /// The event tag (default `vigil`).
    public var tag: String
    /// Wait for the receiver's `ack` of each batch's `chunk` id (default true); without it a
    /// batch counts as delivered once written to the socket.
    public var requireAck: Bool

    enum CodingKeys: String, CodingKey {
        case address, tag
        case requireAck = "require_ack"
    }

    /// Forwarding to `address` with tag `vigil`, waiting for acks.
    public init(address: String) {
        self.address = address
        tag = "vigil"
        requireAck = true
    }

    /// Decodes the forward fields of an output entry.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(address: try requiredHostPort(container, .address, type: "forward"))
        tag = try container.value(.tag, default: tag)
        requireAck = try container.value(.requireAck, default: true)
        guard !tag.isEmpty else { throw ConfigValidationError("tag must not be empty", field: "tag") }
    }
}

/// Decodes a required `host:port`.
func requiredHostPort<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key, type: String) throws -> String {
    guard let address = try container.optional(key, as: String.self) else {
        throw ConfigValidationError("a \(type) output needs an address (host:port)", field: .key(key.stringValue))
    }
    guard let colon = address.lastIndex(of: ":"), colon > address.startIndex,
          let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port)
    else {
        throw ConfigValidationError("address must be host:port", field: .key(key.stringValue))
    }
    return address
}
