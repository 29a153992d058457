/// The pattern of LogQL's `ip("…")` filter: one address, a range `a-b`, or a CIDR `net/bits`,
/// IPv4 or IPv6. A line (or label) matches when an address in it falls in the pattern.
struct IPPattern: Sendable, Hashable {
    /// Addresses as 128-bit numbers (IPv4 mapped into ::ffff:0:0/96) with an inclusive range.
    let low: (UInt64, UInt64)
    let high: (UInt64, UInt64)

    static func == (lhs: IPPattern, rhs: IPPattern) -> Bool { lhs.low == rhs.low && lhs.high == rhs.high }
    func hash(into hasher: inout Hasher) {
        hasher.combine(low.0); hasher.combine(low.1); hasher.combine(high.0); hasher.combine(high.1)
    }

    init?(_ text: String) {
        let trimmed = String(text.trimmingSpaces)
        if let slash = trimmed.firstIndex(of: "/") {
            guard let base = Self.address(trimmed[..<slash]), let bits = Int(trimmed[trimmed.index(after: slash)...])
            else { return nil }
            let isV4 = !trimmed[..<slash].contains(":")
            let prefix = isV4 ? bits + 96 : bits
            guard bits >= 0, prefix <= 128, (isV4 ? bits <= 32 : true) else { return nil }
            let mask = Self.mask(prefix)
            low = (base.0 & mask.0, base.1 & mask.1)
            high = (low.0 | ~mask.0, low.1 | ~mask.1)
        } else if let dash = trimmed.firstIndex(of: "-") {
            guard let start = Self.address(trimmed[..<dash]), let end = Self.address(trimmed[trimmed.index(after: dash)...]),
                start <= end
            else { return nil }
            low = start
            high = end
        } else {
            guard let single = Self.address(Substring(trimmed)) else { return nil }
            low = single
            high = single
        }
    }

    func contains(_ address: (UInt64, UInt64)) -> Bool { low <= address && address <= high }

    static func mask(_ prefix: Int) -> (UInt64, UInt64) {
        if prefix <= 0 { return (0, 0) }
        if prefix >= 128 { return (.max, .max) }
        if prefix <= 64 { return (prefix == 64 ? .max : ~(UInt64.max >> prefix), 0) }
        return (.max, ~(UInt64.max >> (prefix - 64)))
    }

    /// Parses an IPv4 or IPv6 address.
    static func address(_ text: Substring) -> (UInt64, UInt64)? {
        if !text.contains(":") {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var value: UInt64 = 0
            for part in parts {
                guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt64(part), octet <= 255
                else { return nil }
                value = value << 8 | octet
            }
            return (0, 0xFFFF_0000_0000 | value)
        }
        var groups: [UInt16] = []
        var tail: [UInt16] = []
        var seenGap = false
        let halves = Self.splitOnGap(String(text))
        guard halves.count <= 2 else { return nil }
        func parseGroups(_ piece: String) -> [UInt16]? {
            if piece.isEmpty { return [] }
            var result: [UInt16] = []
            for group in piece.split(separator: ":", omittingEmptySubsequences: false) {
                guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = parseGroups(halves[0]) else { return nil }
        groups = head
        if halves.count == 2 {
            seenGap = true
            guard let rest = parseGroups(halves[1]) else { return nil }
            tail = rest
        }
        let total = groups.count + tail.count
        guard seenGap ? total < 8 : total == 8 else { return nil }
        let all = groups + Array(repeating: 0, count: 8 - total) + tail
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<4 { high = high << 16 | UInt64(all[index]) }
        for index in 4..<8 { low = low << 16 | UInt64(all[index]) }
        return (high, low)
    }

    /// `text` split at `::` (at most the first two pieces matter; more means invalid).
    static func splitOnGap(_ text: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while let range = rest.firstRange(of: "::") {
            pieces.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        pieces.append(String(rest))
        return pieces
    }

    /// Whether any address-looking token of `line` falls in the pattern.
    func matchesAny(in line: UnsafeRawBufferPointer) -> Bool {
        var start = 0
        let count = line.count
        while start < count {
            while start < count, !Self.isAddressByte(line[start]) { start += 1 }
            var end = start
            while end < count, Self.isAddressByte(line[end]) { end += 1 }
            if end - start >= 2 {
                let token = String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
                if let address = Self.address(Substring(token)), contains(address) { return true }
            }
            start = end
        }
        return false
    }

    static func isAddressByte(_ byte: UInt8) -> Bool {
        Lexer.isHexDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }
}
