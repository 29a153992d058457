import VigilModel

/// Maps the exact wire bytes of a series' labels to the ``Labels`` they were validated into.
///
/// A receiver sees the same series every scrape interval, so after the first request most series
/// skip validation, string creation and sorting: one hash and one byte comparison instead. Open
/// addressing over a power-of-two table; cleared wholesale when full, so memory stays bounded.
struct SeriesCache {
    private var hashes: ContiguousArray<UInt64> = []
    private var keys: ContiguousArray<[UInt8]> = []
    private var values: ContiguousArray<Labels> = []
    private var count = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return hash }
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0x9E37_79B9_7F4A_7C15
        return hash ^ (hash >> 32) | 1  // never 0, which marks an empty slot
    }

    func lookup(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Labels? {
        if hashes.isEmpty { return nil }
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = hashes[slot]
            if stored == 0 { return nil }
            if stored == hash {
                let matches = keys[slot].withUnsafeBytes { key in
                    key.count == bytes.count && (key.count == 0 || equalBytes(key.baseAddress!, bytes.baseAddress!, key.count))
                }
                if matches { return values[slot] }
            }
            slot = (slot + 1) & mask
        }
    }

    mutating func insert(_ bytes: UnsafeRawBufferPointer, hash: UInt64, labels: Labels) {
        guard capacity > 0 else { return }
        if hashes.isEmpty || count * 2 >= hashes.count {
            if hashes.count >= capacity * 2 {
                // Full: start over rather than track recency; the next requests refill it.
                for index in hashes.indices { hashes[index] = 0 }
                keys = ContiguousArray(repeating: [], count: hashes.count)
                values = ContiguousArray(repeating: .empty, count: hashes.count)
                count = 0
            } else {
                grow()
            }
        }
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while hashes[slot] != 0 { slot = (slot + 1) & mask }
        hashes[slot] = hash
        keys[slot] = Array(bytes)
        values[slot] = labels
        count += 1
    }

    private mutating func grow() {
        let size = max(1024, hashes.count * 2)
        var newHashes = ContiguousArray<UInt64>(repeating: 0, count: size)
        var newKeys = ContiguousArray<[UInt8]>(repeating: [], count: size)
        var newValues = ContiguousArray<Labels>(repeating: .empty, count: size)
        let mask = size - 1
        for index in hashes.indices where hashes[index] != 0 {
            var slot = Int(truncatingIfNeeded: hashes[index]) & mask
            while newHashes[slot] != 0 { slot = (slot + 1) & mask }
            newHashes[slot] = hashes[index]
            newKeys[slot] = keys[index]
            newValues[slot] = values[index]
        }
        hashes = newHashes
        keys = newKeys
        values = newValues
    }
}
