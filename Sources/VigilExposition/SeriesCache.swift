/// A hash map from raw series bytes (as a parser's ``ExpositionParser/series`` returns them) to a
/// caller's value, looked up without creating a `String` or `Array`.
///
/// The scrape loop's pattern is: `next()` → ``value(forKey:)`` → on a hit use the cached value (no
/// allocation); on a miss call `labels()` and ``updateValue(_:forKey:)``. Keys are copied into one
/// growing byte arena; slots use open addressing with linear probing. Inserting may allocate when
/// the table or arena grows; lookups never do. Not thread-safe: one cache per scrape loop.
public struct SeriesCache<Value> {
    @usableFromInline var slots: ContiguousArray<SeriesCacheSlot>
    @usableFromInline var arena: ContiguousArray<UInt8>
    @usableFromInline var values: ContiguousArray<Value>
    /// For each entry, the slot holding it (so entries can be enumerated with their keys).
    @usableFromInline var slotOfEntry: ContiguousArray<Int32>

    /// Creates an empty cache sized for about `minimumCapacity` series.
    public init(minimumCapacity: Int = 0) {
        var capacity = 16
        while capacity * 7 < max(minimumCapacity, 1) * 10 { capacity <<= 1 }
        slots = ContiguousArray(repeating: .empty, count: capacity)
        arena = []
        arena.reserveCapacity(minimumCapacity * 64)
        values = []
        values.reserveCapacity(minimumCapacity)
        slotOfEntry = []
        slotOfEntry.reserveCapacity(minimumCapacity)
    }

    /// The number of series in the cache.
    @inlinable public var count: Int { values.count }

    /// Whether the cache is empty.
    @inlinable public var isEmpty: Bool { values.isEmpty }

    /// The value cached for `key`, or `nil`. Never allocates.
    @inlinable
    public func value(forKey key: UnsafeRawBufferPointer) -> Value? {
        guard let entry = entryIndex(forKey: key) else { return nil }
        return values[entry]
    }

    /// The stable position of `key`'s entry (valid until a removal), or `nil`. Never allocates.
    @inlinable
    public func entryIndex(forKey key: UnsafeRawBufferPointer) -> Int? {
        let hash = SeriesCacheHash.hash(key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let candidate = slots[slot]
            if candidate.entry < 0 { return nil }
            if candidate.hash == hash && Int(candidate.keyLength) == key.count && keyEquals(candidate, key) {
                return Int(candidate.entry)
            }
            slot = (slot + 1) & mask
        }
    }

    /// Calls `body` with the key of the entry at `entry` (a position ``entryIndex(forKey:)``
    /// returned). The view is valid only inside `body`.
    @inlinable
    public func withKey<R>(ofEntry entry: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let slot = slots[Int(slotOfEntry[entry])]
        return arena.withUnsafeBytes { bytes in
            body(UnsafeRawBufferPointer(rebasing: bytes[Int(slot.keyOffset)..<Int(slot.keyOffset + slot.keyLength)]))
        }
    }

    /// The value at an entry position from ``entryIndex(forKey:)``; settable in place.
    @inlinable
    public subscript(entry entry: Int) -> Value {
        get { values[entry] }
        set { values[entry] = newValue }
    }

    /// Stores `value` for `key`, returning the value it replaced, if any.
    @inlinable
    @discardableResult
    public mutating func updateValue(_ value: Value, forKey key: UnsafeRawBufferPointer) -> Value? {
        if let entry = entryIndex(forKey: key) {
            let old = values[entry]
            values[entry] = value
            return old
        }
        insertNew(value, key: key, hash: SeriesCacheHash.hash(key))
        return nil
    }

    /// Calls `body` with each key's bytes and value, in insertion order.
    public func forEach(_ body: (UnsafeRawBufferPointer, Value) throws -> Void) rethrows {
        try arena.withUnsafeBytes { arenaBytes in
            for (entry, slotIndex) in slotOfEntry.enumerated() {
                let slot = slots[Int(slotIndex)]
                let key = UnsafeRawBufferPointer(rebasing: arenaBytes[Int(slot.keyOffset)..<Int(slot.keyOffset + slot.keyLength)])
                try body(key, values[entry])
            }
        }
    }

    /// Removes every entry whose value satisfies `shouldRemove`, compacting the key arena; does
    /// nothing (and allocates nothing) when no entry matches. Entry positions change.
    public mutating func removeAll(where shouldRemove: (Value) throws -> Bool) rethrows {
        var keep: [Bool] = []
        var removed = 0
        keep.reserveCapacity(values.count)
        for value in values {
            let remove = try shouldRemove(value)
            keep.append(!remove)
            if remove { removed += 1 }
        }
        guard removed > 0 else { return }
        var rebuilt = SeriesCache(minimumCapacity: values.count - removed)
        arena.withUnsafeBytes { arenaBytes in
            for (entry, slotIndex) in slotOfEntry.enumerated() where keep[entry] {
                let slot = slots[Int(slotIndex)]
                let key = UnsafeRawBufferPointer(rebasing: arenaBytes[Int(slot.keyOffset)..<Int(slot.keyOffset + slot.keyLength)])
                rebuilt.insertNew(values[entry], key: key, hash: slot.hash)
            }
        }
        self = rebuilt
    }

    /// Removes every entry; with `keepingCapacity` the table and arena keep their memory.
    public mutating func removeAll(keepingCapacity: Bool = false) {
        if keepingCapacity {
            for index in slots.indices { slots[index] = .empty }
            arena.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            slotOfEntry.removeAll(keepingCapacity: true)
        } else {
            self = SeriesCache()
        }
    }

    @inlinable
    func keyEquals(_ slot: SeriesCacheSlot, _ key: UnsafeRawBufferPointer) -> Bool {
        arena.withUnsafeBytes { arenaBytes in
            SeriesCacheHash.equal(
                UnsafeRawBufferPointer(rebasing: arenaBytes[Int(slot.keyOffset)..<Int(slot.keyOffset) + key.count]), key)
        }
    }

    @usableFromInline
    mutating func insertNew(_ value: Value, key: UnsafeRawBufferPointer, hash: UInt64) {
        if (values.count + 1) * 10 > slots.count * 7 { grow() }
        precondition(arena.count + key.count <= Int(UInt32.max), "series cache arena exceeds 4 GiB")
        let offset = UInt32(arena.count)
        arena.append(contentsOf: key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot].entry >= 0 { slot = (slot + 1) & mask }
        slots[slot] = SeriesCacheSlot(hash: hash, keyOffset: offset, keyLength: UInt32(key.count), entry: Int32(values.count))
        slotOfEntry.append(Int32(slot))
        values.append(value)
    }

    private mutating func grow() {
        let newCount = slots.count * 2
        var newSlots = ContiguousArray(repeating: SeriesCacheSlot.empty, count: newCount)
        let mask = newCount - 1
        for (entry, slotIndex) in slotOfEntry.enumerated() {
            let old = slots[Int(slotIndex)]
            var slot = Int(truncatingIfNeeded: old.hash) & mask
            while newSlots[slot].entry >= 0 { slot = (slot + 1) & mask }
            newSlots[slot] = old
            slotOfEntry[entry] = Int32(slot)
        }
        slots = newSlots
    }
}

extension SeriesCache: Sendable where Value: Sendable {}

/// Hashing and comparison of raw key bytes, eight bytes at a time.
@usableFromInline
enum SeriesCacheHash {
    @inlinable
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        guard let base = key.baseAddress else { return mix(hash) }
        var offset = 0
        let count = key.count
        while offset + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 29
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) << shift
                shift += 8
                offset += 1
            }
            hash = (hash ^ tail) &* 0xBF58_476D_1CE4_E5B9
        }
        return mix(hash)
    }

    @inlinable
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }

    @inlinable
    static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        let count = lhs.count
        guard count == rhs.count else { return false }
        guard count > 0, let left = lhs.baseAddress, let right = rhs.baseAddress else { return true }
        var offset = 0
        while offset + 8 <= count {
            if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
            offset += 8
        }
        while offset < count {
            if left.load(fromByteOffset: offset, as: UInt8.self) != right.load(fromByteOffset: offset, as: UInt8.self) {
                return false
            }
            offset += 1
        }
        return true
    }
}

/// One open-addressing slot of a ``SeriesCache``.
@usableFromInline
struct SeriesCacheSlot: Sendable {
    @usableFromInline var hash: UInt64
    @usableFromInline var keyOffset: UInt32
    @usableFromInline var keyLength: UInt32
    /// Index into `values`; -1 marks an empty slot.
    @usableFromInline var entry: Int32

    @usableFromInline static let empty = SeriesCacheSlot(hash: 0, keyOffset: 0, keyLength: 0, entry: -1)

    @usableFromInline
    init(hash: UInt64, keyOffset: UInt32, keyLength: UInt32, entry: Int32) {
        self.hash = hash
        self.keyOffset = keyOffset
        self.keyLength = keyLength
        self.entry = entry
    }
}
