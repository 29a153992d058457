import VigilModel

extension RemoteWriteDecoder {
    /// Validates the series' raw labels in Prometheus's order and builds its ``Labels``.
    ///
    /// Strings are reused from the previous series when the bytes repeat at the same position
    /// (consecutive series usually share `job`, `instance` and often `__name__`), which saves
    /// most string allocations.
    func buildLabels(_ reader: ProtobufReader, index: Int, batch: inout RemoteWriteBatch) throws(RemoteWriteError) -> Labels {
        let base = reader.base ?? UnsafeRawPointer(bitPattern: 1)!
        let count = batch.rawLabels.count

        var sorted = true
        var outOfOrder = 0
        for position in 1..<max(count, 1) {
            let previous = batch.rawLabels[position - 1]
            let current = batch.rawLabels[position]
            if compareBytes(base, previous.nameStart, previous.nameCount, current.nameStart, current.nameCount) > 0 {
                sorted = false
                outOfOrder = position
                break
            }
        }
        if !sorted {
            if options.requireSortedLabels {
                let raw = batch.rawLabels[outOfOrder]
                throw RemoteWriteError(
                    .unsortedLabels(labels: describe(base, batch.rawLabels), name: repaired(base, raw.nameStart, raw.nameCount)),
                    seriesIndex: index)
            }
            // Prometheus sorts what the sender did not; a stable sort keeps duplicates in sending order.
            let ordered = batch.rawLabels.enumerated().sorted { lhs, rhs in
                let order = compareBytes(base, lhs.element.nameStart, lhs.element.nameCount, rhs.element.nameStart, rhs.element.nameCount)
                return order != 0 ? order < 0 : lhs.offset < rhs.offset
            }
            batch.rawLabels = ContiguousArray(ordered.map(\.element))
        }

        var hasMetricName = false
        for raw in batch.rawLabels {
            let isMetricName = raw.nameCount == 8 && UInt64(littleEndian: (base + raw.nameStart).loadUnaligned(as: UInt64.self)) == metricNameWord
            if isMetricName {
                hasMetricName = true
                if !isValidMetricName(base + raw.valueStart, raw.valueCount) {
                    throw RemoteWriteError(
                        .invalidMetricName(labels: describe(base, batch.rawLabels), value: repaired(base, raw.valueStart, raw.valueCount)),
                        seriesIndex: index)
                }
            } else if !isValidLabelName(base + raw.nameStart, raw.nameCount) {
                throw RemoteWriteError(
                    .invalidLabelName(labels: describe(base, batch.rawLabels), name: repaired(base, raw.nameStart, raw.nameCount)),
                    seriesIndex: index)
            }
            if !isValidUTF8(base + raw.valueStart, raw.valueCount) {
                throw RemoteWriteError(
                    .invalidLabelValue(labels: describe(base, batch.rawLabels), name: repaired(base, raw.nameStart, raw.nameCount)),
                    seriesIndex: index)
            }
        }
        if options.requireMetricName && !hasMetricName {
            throw RemoteWriteError(.missingMetricName(labels: describe(base, batch.rawLabels)), seriesIndex: index)
        }
        for position in 1..<max(count, 1) {
            let previous = batch.rawLabels[position - 1]
            let current = batch.rawLabels[position]
            if previous.nameCount == current.nameCount
                && equalBytes(base + previous.nameStart, base + current.nameStart, current.nameCount) {
                throw RemoteWriteError(
                    .duplicateLabel(labels: describe(base, batch.rawLabels), name: repaired(base, current.nameStart, current.nameCount)),
                    seriesIndex: index)
            }
        }

        batch.builder.reset()
        for position in 0..<count {
            let raw = batch.rawLabels[position]
            let name: String
            let value: String
            if position < batch.previousLabels.count {
                let cached = batch.previousLabels[position]
                name = cached.raw.nameCount == raw.nameCount
                    && equalBytes(base + cached.raw.nameStart, base + raw.nameStart, raw.nameCount)
                    ? cached.name : makeString(base, raw.nameStart, raw.nameCount)
                value = cached.raw.valueCount == raw.valueCount
                    && equalBytes(base + cached.raw.valueStart, base + raw.valueStart, raw.valueCount)
                    ? cached.value : makeString(base, raw.valueStart, raw.valueCount)
                batch.previousLabels[position] = InternedLabel(raw: raw, name: name, value: value)
            } else {
                name = makeString(base, raw.nameStart, raw.nameCount)
                value = makeString(base, raw.valueStart, raw.valueCount)
                batch.previousLabels.append(InternedLabel(raw: raw, name: name, value: value))
            }
            batch.builder.set(name, value)
        }
        return batch.builder.build()
    }

    private func isValidMetricName(_ bytes: UnsafeRawPointer, _ count: Int) -> Bool {
        if count == 0 { return false }
        if options.nameValidation == .utf8 { return isValidUTF8(bytes, count) }
        for offset in 0..<count {
            let byte = bytes.load(fromByteOffset: offset, as: UInt8.self)
            let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if !(letter || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || (digit && offset > 0)) { return false }
        }
        return true
    }

    private func isValidLabelName(_ bytes: UnsafeRawPointer, _ count: Int) -> Bool {
        if count == 0 { return false }
        if options.nameValidation == .utf8 { return isValidUTF8(bytes, count) }
        for offset in 0..<count {
            let byte = bytes.load(fromByteOffset: offset, as: UInt8.self)
            let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if !(letter || byte == UInt8(ascii: "_") || (digit && offset > 0)) { return false }
        }
        return true
    }

    private func describe(_ base: UnsafeRawPointer, _ labels: ContiguousArray<RawLabel>) -> String {
        var result = "{"
        for (position, raw) in labels.enumerated() {
            if position > 0 { result += ", " }
            result += repaired(base, raw.nameStart, raw.nameCount)
            result += "=\""
            for scalar in repaired(base, raw.valueStart, raw.valueCount).unicodeScalars {
                switch scalar {
                case "\\": result += "\\\\"
                case "\"": result += "\\\""
                case "\n": result += "\\n"
                default: result.unicodeScalars.append(scalar)
                }
            }
            result += "\""
        }
        return result + "}"
    }
}

/// `__name__` as a little-endian word.
private let metricNameWord: UInt64 = 0x5F5F_656D_616E_5F5F

@inline(__always)
func repaired(_ base: UnsafeRawPointer, _ start: Int, _ count: Int) -> String {
    String(decoding: UnsafeRawBufferPointer(start: base + start, count: count), as: UTF8.self)
}

/// A string of bytes already validated as UTF-8.
@inline(__always)
func makeString(_ base: UnsafeRawPointer, _ start: Int, _ count: Int) -> String {
    String(decoding: UnsafeRawBufferPointer(start: base + start, count: count), as: UTF8.self)
}

@inline(__always)
func equalBytes(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, _ count: Int) -> Bool {
    var offset = 0
    while offset + 8 <= count {
        if lhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != rhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
            return false
        }
        offset += 8
    }
    while offset < count {
        if lhs.load(fromByteOffset: offset, as: UInt8.self) != rhs.load(fromByteOffset: offset, as: UInt8.self) { return false }
        offset += 1
    }
    return true
}

/// Byte-wise order of two ranges of the same buffer: negative, zero or positive.
@inline(__always)
func compareBytes(_ base: UnsafeRawPointer, _ lhsStart: Int, _ lhsCount: Int, _ rhsStart: Int, _ rhsCount: Int) -> Int {
    let common = min(lhsCount, rhsCount)
    for offset in 0..<common {
        let left = base.load(fromByteOffset: lhsStart + offset, as: UInt8.self)
        let right = base.load(fromByteOffset: rhsStart + offset, as: UInt8.self)
        if left != right { return Int(left) - Int(right) }
    }
    return lhsCount - rhsCount
}

/// Whether the bytes are valid UTF-8, with a word-at-a-time ASCII fast path.
@inline(__always)
func isValidUTF8(_ bytes: UnsafeRawPointer, _ count: Int) -> Bool {
    var offset = 0
    while offset + 8 <= count {
        if bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
        offset += 8
    }
    while offset < count {
        if bytes.load(fromByteOffset: offset, as: UInt8.self) >= 0x80 {
            return String(validating: UnsafeRawBufferPointer(start: bytes + offset, count: count - offset), as: UTF8.self) != nil
        }
        offset += 1
    }
    return true
}
