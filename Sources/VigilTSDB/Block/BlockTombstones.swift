/// The `tombstones` file: deleted intervals per block-local series id (layout in
/// `docs/formats/block.md`).
enum BlockTombstones {
    static let magic: UInt32 = 0x0130_BA30
    static let version: UInt8 = 1
    static let fileName = "tombstones"

    static func encode(_ tombstones: [SeriesRef: [ClosedRange<Int64>]]) -> [UInt8] {
        var out = BlockByteWriter(reservingCapacity: 16 + tombstones.count * 8)
        out.putU32(magic)
        out.putU8(version)
        out.bytes.append(contentsOf: [0, 0, 0])
        let body = out.bytes.count
        let refs = tombstones.keys.sorted()
        var count = 0
        for ref in refs { count += tombstones[ref]!.count }
        out.putUvarint(UInt64(count))
        for ref in refs {
            for interval in tombstones[ref]! {
                out.putUvarint(ref)
                out.putVarint(interval.lowerBound)
                out.putVarint(interval.upperBound)
            }
        }
        out.putChecksum(from: body)
        return out.bytes
    }

    static func decode(_ bytes: [UInt8], file: String, seriesCount: Int) throws(TSDBError) -> [SeriesRef: [ClosedRange<Int64>]] {
        try withBlockBytes(bytes) { (raw) throws(TSDBError) in
            var reader = BlockByteReader(raw, file: file)
            guard raw.count >= 12 else { throw reader.corruption("tombstones file too short", at: 0) }
            guard try reader.u32() == magic else { throw reader.corruption("bad tombstones magic", at: 0) }
            guard try reader.u8() == version else { throw reader.corruption("unsupported tombstones version", at: 4) }
            reader.offset = raw.count - 4
            try reader.verifyChecksum(from: 8, what: "tombstones")
            reader = BlockByteReader(UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 4)]), offset: 8, file: file)
            let count = try reader.length(limit: raw.count)
            var result: [SeriesRef: [ClosedRange<Int64>]] = [:]
            for _ in 0..<count {
                let at = reader.offset
                let ref = try reader.uvarint()
                let mint = try reader.varint()
                let maxt = try reader.varint()
                guard ref < UInt64(seriesCount), mint <= maxt else { throw reader.corruption("invalid tombstone", at: at) }
                add(mint...maxt, to: &result[ref, default: []])
            }
            return result
        }
    }

    /// Adds `interval` to a sorted, disjoint list, merging what it overlaps or touches.
    static func add(_ interval: ClosedRange<Int64>, to list: inout [ClosedRange<Int64>]) {
        var lower = interval.lowerBound
        var upper = interval.upperBound
        var merged: [ClosedRange<Int64>] = []
        merged.reserveCapacity(list.count + 1)
        var inserted = false
        for existing in list {
            if existing.upperBound < lower && existing.upperBound &+ 1 < lower {
                merged.append(existing)
            } else if existing.lowerBound > upper && existing.lowerBound &- 1 > upper {
                if !inserted {
                    merged.append(lower...upper)
                    inserted = true
                }
                merged.append(existing)
            } else {
                lower = min(lower, existing.lowerBound)
                upper = max(upper, existing.upperBound)
            }
        }
        if !inserted { merged.append(lower...upper) }
        list = merged
    }

    static func count(_ tombstones: [SeriesRef: [ClosedRange<Int64>]]) -> Int {
        tombstones.values.reduce(0) { $0 + $1.count }
    }
}
