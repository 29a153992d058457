import Testing
@testable import VigilKubeMetricsAPI

/// Canonical strings as apimachinery's `Quantity.String()` documents them: DecimalSI drops
/// trailing zeros and takes the largest SI suffix that keeps the number whole; BinarySI takes the
/// largest power of 1024 that divides exactly and falls back to DecimalSI below 1024.
@Suite struct KubernetesQuantityTests {
    @Test(arguments: [
        (UInt64(0), "0"),
        (1, "1n"),
        (10, "10n"),
        (1000, "1u"),
        (1500, "1500n"),
        (123_456_789, "123456789n"),
        (250_000_000, "250m"),
        (1_000_000_000, "1"),
        (1_500_000_000, "1500m"),
        (1_230_000_000, "1230m"),
        (100_000_000_000, "100"),
        (2_000_000_000_000, "2k"),
        (12_000_000, "12m"),
        (4567, "4567n"),
    ])
    func cpuIsScaledNanocores(nanocores: UInt64, expected: String) {
        #expect(KubernetesQuantity.cpu(nanocores: nanocores) == expected)
    }

    @Test(arguments: [
        (UInt64(0), "0"),
        (512, "512"),
        (1000, "1k"),
        (1023, "1023"),
        (1024, "1Ki"),
        (1536, "1536"),
        (1_000_000, "1000000"),
        (12_533_760, "12240Ki"),
        (1_616_334_848, "1578452Ki"),
        (1_048_576, "1Mi"),
        (1_073_741_824, "1Gi"),
        (UInt64(1_610_612_736), "1536Mi"),
        (UInt64(1) << 60, "1Ei"),
    ])
    func memoryIsBinarySIBytes(bytes: UInt64, expected: String) {
        #expect(KubernetesQuantity.memory(bytes: bytes) == expected)
    }

    /// Every output parses back to the input: the digits times the suffix's factor.
    @Test func randomValuesRoundTrip() {
        var generator = SystemRandomNumberGenerator()
        let decimal: [String: Double] = ["n": 1, "u": 1e3, "m": 1e6, "": 1e9, "k": 1e12, "M": 1e15, "G": 1e18]
        let binary: [String: UInt64] = ["Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40, "Pi": 1 << 50]
        for _ in 0..<2000 {
            let scale = UInt64.random(in: 0...12, using: &generator)
            var power: UInt64 = 1
            for _ in 0..<scale { power *= 10 }
            let nanocores = UInt64.random(in: 0...999_999, using: &generator) * power
            let cpu = KubernetesQuantity.cpu(nanocores: nanocores)
            let digits = cpu.prefix { $0.isNumber }
            let factor = decimal[String(cpu.dropFirst(digits.count))]
            #expect(factor != nil && (Double(digits) ?? -1) * (factor ?? 0) == Double(nanocores), "\(nanocores) → \(cpu)")

            let bytes = UInt64.random(in: 0...(1 << 20), using: &generator) << UInt64.random(in: 0...30, using: &generator)
            let memory = KubernetesQuantity.memory(bytes: bytes)
            let memoryDigits = memory.prefix { $0.isNumber }
            let suffix = String(memory.dropFirst(memoryDigits.count))
            if let multiplier = binary[suffix] {
                #expect(UInt64(memoryDigits)! * multiplier == bytes && UInt64(memoryDigits)! % 1024 != 0, "\(bytes) → \(memory)")
            } else {
                #expect(bytes < 1024 || suffix.isEmpty, "\(bytes) → \(memory)")
            }
        }
    }
}
