import VigilTestSupport

/// The seeded generator of these tests, so failures reproduce from the seed.
typealias SeededRandom = SplitMix64

extension SplitMix64 {
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }

    /// Bytes with long repeats and short random runs, like a protobuf body or a log.
    mutating func repetitiveBytes(_ count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        let words: [[UInt8]] = (0..<8).map { _ in bytes(Int.random(in: 1...24, using: &self)) }
        while result.count < count {
            switch Int.random(in: 0..<4, using: &self) {
            case 0: result.append(contentsOf: bytes(Int.random(in: 1...8, using: &self)))
            case 1 where !result.isEmpty:
                let offset = Int.random(in: 1...min(result.count, 70_000), using: &self)
                let length = Int.random(in: 1...300, using: &self)
                for _ in 0..<length { result.append(result[result.count - offset]) }
            default: result.append(contentsOf: words[Int.random(in: 0..<words.count, using: &self)])
            }
        }
        return Array(result.prefix(count))
    }

    /// `bytes` with a few bytes changed, inserted or removed.
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        for _ in 0..<Int.random(in: 1...4, using: &self) {
            switch Int.random(in: 0..<4, using: &self) {
            case 0 where !result.isEmpty:
                result[Int.random(in: 0..<result.count, using: &self)] = UInt8.random(in: 0...255, using: &self)
            case 1 where !result.isEmpty:
                result[Int.random(in: 0..<result.count, using: &self)] ^= 1 << UInt8.random(in: 0..<8, using: &self)
            case 2:
                result.insert(UInt8.random(in: 0...255, using: &self), at: Int.random(in: 0...result.count, using: &self))
            default:
                if !result.isEmpty { result.remove(at: Int.random(in: 0..<result.count, using: &self)) }
            }
        }
        return result
    }
}
