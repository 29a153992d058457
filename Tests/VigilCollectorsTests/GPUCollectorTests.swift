import Foundation
import Logging
import Testing
@testable import VigilCollectors
import VigilModel
import VigilTestSupport

/// nvidia-smi's CSV, the DCGM families made from it, and running the program with a deadline.
@Suite struct GPUCollectorTests {
    static let twoGPUs = """
        0, GPU-5e5a3b4c-1111-2222-3333-444455556666, NVIDIA A100-SXM4-40GB, 00000000:07:00.0, 87, 41, 30512, 9449, 40960, 64, 71, 312.45, 1410, 1215
        1, GPU-0f0f0f0f-aaaa-bbbb-cccc-ddddeeeeffff, Tesla T4, 00000000:3B:00.0, 0, 0, 0, 15095, 15360, 31, [N/A], [N/A], 300, [Not Supported]

        """

    @Test func csvBecomesDCGMFamilies() throws {
        let report = try NvidiaSMIReport(parsing: Array(Self.twoGPUs.utf8)[...])
        #expect(report.gpus.count == 2)
        var sink = MetricSink()
        GPUCollector.emit(report, hostname: "node-1", into: &sink)
        let families = sink.families()
        let a100: Labels = [
            "gpu": "0", "UUID": "GPU-5e5a3b4c-1111-2222-3333-444455556666", "device": "nvidia0",
            "modelName": "NVIDIA A100-SXM4-40GB", "pci_bus_id": "00000000:07:00.0", "Hostname": "node-1",
        ]
        #expect(families.value("DCGM_FI_DEV_GPU_UTIL", a100) == 87)
        #expect(families.value("DCGM_FI_DEV_MEM_COPY_UTIL", a100) == 41)
        #expect(families.value("DCGM_FI_DEV_FB_USED", a100) == 30512)
        #expect(families.value("DCGM_FI_DEV_FB_FREE", a100) == 9449)
        #expect(families.value("DCGM_FI_DEV_GPU_TEMP", a100) == 64)
        #expect(families.value("DCGM_FI_DEV_MEMORY_TEMP", a100) == 71)
        #expect(families.value("DCGM_FI_DEV_POWER_USAGE", a100) == 312.45)
        #expect(families.value("DCGM_FI_DEV_SM_CLOCK", a100) == 1410)
        #expect(families.value("DCGM_FI_DEV_MEM_CLOCK", a100) == 1215)
        // Values nvidia-smi cannot give leave their series out.
        #expect(families.family("DCGM_FI_DEV_POWER_USAGE")?.samples.count == 1)
        #expect(families.family("DCGM_FI_DEV_SM_CLOCK")?.samples.count == 2)
        #expect(families.family("DCGM_FI_DEV_GPU_UTIL")?.type == .gauge)
        #expect(families.family("DCGM_FI_DEV_GPU_UTIL")?.help == "GPU utilization (in %).")
    }

    @Test func garbageIsATypedErrorNamingTheLine() {
        let cases: [(String, String)] = [
            ("0, GPU-1, T4, 00:00.0, 1, 2\n", "nvidia-smi:1"),
            (Self.twoGPUs + "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n", "nvidia-smi:3"),
            ("x, GPU-1, T4, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10\n", "nvidia-smi:1"),
            ("0, 1234, T4, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10\n", "nvidia-smi:1"),
        ]
        for (input, place) in cases {
            do {
                _ = try NvidiaSMIReport(parsing: Array(input.utf8)[...])
                Issue.record("accepted \(input)")
            } catch {
                #expect(error.path == place, "\(error)")
            }
        }
        #expect((try? NvidiaSMIReport(parsing: []))?.gpus == [])
    }

    @Test func randomAndMutatedCSVNeverTraps() {
        var random = SplitMix64(seed: 0x6E7)
        let sample = Array(Self.twoGPUs.utf8)
        var accepted = 0
        for round in 0..<2000 {
            var bytes = sample
            if round % 4 == 0 {
                bytes = (0..<Int(random.next() % 160)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                for _ in 0..<(1 + Int(random.next() % 5)) where !bytes.isEmpty {
                    let position = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 3 {
                    case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                    case 1: bytes.remove(at: position)
                    default: bytes.insert(UInt8(ascii: ","), at: position)
                    }
                }
            }
            if let report = try? NvidiaSMIReport(parsing: bytes[...]) {
                accepted += 1
                #expect(report.gpus.allSatisfy { $0.values.values.allSatisfy(\.isFinite) })
            }
        }
        #expect(accepted > 0 && accepted < 2000)
    }

    @Test func aMissingProgramMeansNoSeriesAndNoError() throws {
        let tree = try FixtureTree()
        let (families, success) = tree.run(GPUCollector(executable: tree.root + "/no-such-nvidia-smi"))
        #expect(success)
        #expect(families.isEmpty)
    }

    @Test func aFakeNvidiaSMIIsRunWithTheQuery() throws {
        let tree = try FixtureTree()
        // Prints the CSV only when asked exactly what the collector asks.
        let script = try tree.writeProgram(
            "nvidia-smi",
            """
            #!/bin/sh
            [ "$1" = "--query-gpu=\(NvidiaSMIReport.fields.joined(separator: ","))" ] || exit 6
            [ "$2" = "--format=csv,noheader,nounits" ] || exit 7
            cat <<'CSV'
            \(Self.twoGPUs)CSV

            """)
        let (families, success) = tree.run(GPUCollector(executable: script))
        #expect(success)
        #expect(families.family("DCGM_FI_DEV_FB_USED")?.samples.count == 2)
    }

    @Test func aHungOrFailingProgramFailsTheCollectorWithoutHanging() throws {
        let tree = try FixtureTree()
        let hang = try tree.writeProgram("hang", "#!/bin/sh\nexec sleep 30\n")
        let fail = try tree.writeProgram("fail", "#!/bin/sh\necho broken\nexit 9\n")
        do {
            _ = try Subprocess.output(hang, [], timeoutSeconds: 0.3)
            Issue.record("a hung program returned")
        } catch {
            #expect(error.message.contains("timed out"))
        }
        do {
            _ = try Subprocess.output(fail, [], timeoutSeconds: 10)
            Issue.record("a failing program succeeded")
        } catch {
            #expect(error.message == "exited with status 9")
        }
        let (_, success) = tree.run(GPUCollector(executable: fail))
        #expect(!success)
        #expect(try Subprocess.output("/bin/echo", ["a", "b c"], timeoutSeconds: 10) == Array("a b c\n".utf8))
    }
}
