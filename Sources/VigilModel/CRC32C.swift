import CVigilCRC32C

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every WAL and
/// remote-write queue frame.
///
/// The CPU's instruction where it has one; otherwise slicing-by-8: eight 256-entry tables let the
/// loop consume eight bytes per step.
/// `CRC32C.checksum("123456789".utf8) == 0xE3069283`.
public enum CRC32C {
    static let polynomial: UInt32 = 0x82F6_3B78

    /// Table `k` (at `k * 256`) maps a byte to its CRC contribution `k` bytes further on.
    static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1 }
            tables[byte] = crc
        }
        for slice in 1..<8 {
            for byte in 0..<256 {
                let previous = tables[(slice - 1) * 256 + byte]
                tables[slice * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    /// Whether the CPU's CRC-32C instruction is used (SSE 4.2 on x86-64): several times the
    /// tables' speed on the WAL, the log store and the log shipper's buffers.
    static let hardware = vigil_crc32c_hardware() == 1

    /// The CRC of `bytes`, continuing from `crc` (the CRC of the bytes before them; 0 to start).
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(crc, bytes, hardware: hardware)
    }

    /// ``update(_:_:)`` with the instruction or with the tables (`hardware` false, or no instruction).
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer, hardware: Bool) -> UInt32 {
        if hardware && Self.hardware, let base = bytes.baseAddress, bytes.count > 0 {
            return ~vigil_crc32c_update_hardware(~crc, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        var crc = ~crc
        guard var pointer = bytes.baseAddress, bytes.count > 0 else { return ~crc }
        var remaining = bytes.count
        tables.withUnsafeBufferPointer { table in
            let t = table.baseAddress!
            while remaining >= 8 {
                let low = UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self)) ^ crc
                let high = UInt32(littleEndian: (pointer + 4).loadUnaligned(as: UInt32.self))
                crc = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                pointer += 8
                remaining -= 8
            }
            while remaining > 0 {
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(pointer.load(as: UInt8.self))) & 0xFF)]
                pointer += 1
                remaining -= 1
            }
        }
        return ~crc
    }

    /// The CRC of a byte sequence (convenience for tests and small inputs).
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        let array = Array(bytes)
        return array.withUnsafeBytes { update(0, $0) }
    }
}
