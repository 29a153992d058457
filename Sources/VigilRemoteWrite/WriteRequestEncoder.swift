import VigilModel

/// Writes a remote-write 1.0 `WriteRequest` straight from queued samples, with each series'
/// labels encoded once (per queue segment) and copied as bytes into every request that needs
/// them — the sender's hot path builds no intermediate messages.
///
/// Layout: `WriteRequest { repeated TimeSeries timeseries = 1 }`, `TimeSeries { repeated Label
/// labels = 1; repeated Sample samples = 2 }`, `Label { string name = 1; string value = 2 }`,
/// `Sample { double value = 1; int64 timestamp = 2 }`.
enum WriteRequestEncoder {
    /// The `labels` fields of a TimeSeries for `labels`, ready to copy.
    static func encodeLabels(_ labels: Labels) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(labels.count * 24)
        for label in labels {
            let nameCount = label.name.utf8.count
            let valueCount = label.value.utf8.count
            let inner = 1 + varintSize(UInt64(nameCount)) + nameCount + 1 + varintSize(UInt64(valueCount)) + valueCount
            bytes.append(0x0A)
            appendVarint(UInt64(inner), to: &bytes)
            bytes.append(0x0A)
            appendVarint(UInt64(nameCount), to: &bytes)
            bytes.append(contentsOf: label.name.utf8)
            bytes.append(0x12)
            appendVarint(UInt64(valueCount), to: &bytes)
            bytes.append(contentsOf: label.value.utf8)
        }
        return bytes
    }

    /// The serialized request holding one TimeSeries (one sample) per entry.
    static func encode(_ entries: ArraySlice<QueueLog.Entry>) -> [UInt8] {
        var bytes: [UInt8] = []
        var estimate = 0
        for entry in entries { estimate += entry.labelBytes.count + 24 }
        bytes.reserveCapacity(estimate)
        for entry in entries {
            let timestamp = UInt64(bitPattern: entry.timestamp)
            let sampleSize = 1 + 8 + 1 + varintSize(timestamp)
            let seriesSize = entry.labelBytes.count + 1 + varintSize(UInt64(sampleSize)) + sampleSize
            bytes.append(0x0A)
            appendVarint(UInt64(seriesSize), to: &bytes)
            bytes.append(contentsOf: entry.labelBytes)
            bytes.append(0x12)
            appendVarint(UInt64(sampleSize), to: &bytes)
            bytes.append(0x09)
            let bits = entry.value.bitPattern
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
            bytes.append(0x10)
            appendVarint(timestamp, to: &bytes)
        }
        return bytes
    }

    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        var size = 1
        var remaining = value >> 7
        while remaining != 0 {
            size += 1
            remaining >>= 7
        }
        return size
    }

    @inline(__always)
    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }
}
