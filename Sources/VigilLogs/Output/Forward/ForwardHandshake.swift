import Crypto

/// The forward protocol's shared-key handshake (v1 spec, "Handshake Messages"), as Fluentd's
/// `in_forward` runs it when its `<security>` section sets a `shared_key`:
///
/// 1. the server sends `["HELO", {"nonce": …, "auth": salt-or-empty, "keepalive": …}]`;
/// 2. the client answers `["PING", self_hostname, shared_key_salt,
///    sha512_hex(shared_key_salt + self_hostname + nonce + shared_key), username,
///    sha512_hex(auth + username + password)]` (the last two empty when no `auth` is asked);
/// 3. the server answers `["PONG", ok, reason, server_hostname,
///    sha512_hex(shared_key_salt + server_hostname + nonce + shared_key)]`, which the client checks,
///    so both sides prove they hold the key without sending it.
struct ForwardHandshake: Sendable {
    /// Reads the shared key (from the config or its file) at each handshake, so a rotated file is used.
    let sharedKey: @Sendable () throws -> [UInt8]
    let selfHostname: String
    let username: String
    /// Reads the password, likewise; asked only when the server wants user authentication.
    let password: @Sendable () throws -> [UInt8]

    /// Why a handshake failed.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs the three messages on a new connection; throws when the server refuses us or cannot
    /// prove it holds the key.
    func run(_ session: StreamConnection.Session) async throws {
        let helo = try await Self.readValue(session)
        guard case .array(let heloFields) = helo, heloFields.count == 2, heloFields[0].text == "HELO" else {
            throw Failure(description: "\(session.address) did not start the handshake with HELO (is its shared_key set?)")
        }
        let nonce = Self.bytes(heloFields[1]["nonce"])
        let auth = Self.bytes(heloFields[1]["auth"])
        let key = try sharedKey()
        let salt = Array(Self.hex(Array((0..<16).map { _ in UInt8.random(in: 0...255) })).utf8)
        let hostname = Array(selfHostname.utf8)

        var ping = MessagePack.Writer()
        ping.writeArrayHeader(6)
        ping.writeString("PING")
        ping.writeString(selfHostname)
        ping.writeString(salt)
        ping.writeString(Self.sha512Hex([salt, hostname, nonce, key]))
        if auth.isEmpty {
            ping.writeString("")
            ping.writeString("")
        } else {
            ping.writeString(username)
            ping.writeString(Self.sha512Hex([auth, Array(username.utf8), try password()]))
        }
        try await session.write(ping.bytes)

        let pong = try await Self.readValue(session)
        guard case .array(let fields) = pong, fields.count == 5, fields[0].text == "PONG" else {
            throw Failure(description: "\(session.address) answered the PING with something other than a PONG")
        }
        guard case .bool(true) = fields[1] else {
            throw Failure(description: "\(session.address) refused the handshake: \(fields[2].text ?? "no reason given")")
        }
        let serverName = Self.bytes(fields[3])
        guard serverName != hostname else {
            throw Failure(description: "\(session.address) has our self_hostname \(selfHostname): give this output another one")
        }
        guard fields[4].text == Self.sha512Hex([salt, serverName, nonce, key]) else {
            throw Failure(description: "\(session.address) does not hold our shared key (its digest differs)")
        }
    }

    /// One MessagePack value from the session.
    static func readValue(_ session: StreamConnection.Session) async throws -> MessagePack.Value {
        let answer = try await session.read(until: MessagePack.holdsWholeValue)
        var reader = MessagePack.Reader(answer)
        do {
            return try reader.read()
        } catch {
            throw Failure(description: "\(session.address) sent an unreadable handshake message: \(error)")
        }
    }

    /// A string's or binary's bytes; empty for anything else (absent `auth` means none).
    static func bytes(_ value: MessagePack.Value?) -> [UInt8] {
        switch value {
        case .string(let bytes), .binary(let bytes): bytes
        default: []
        }
    }

    static func sha512Hex(_ parts: [[UInt8]]) -> String {
        var hash = SHA512()
        for part in parts { hash.update(data: part) }
        return hex(Array(hash.finalize()))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
