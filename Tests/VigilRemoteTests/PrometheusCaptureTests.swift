import Foundation
import Testing
import VigilModel
@testable import VigilRemote

/// Bodies a real Prometheus 2.42 sent (see Fixtures/PrometheusCapture.swift).
@Suite struct PrometheusCaptureTests {
    @Test func decodesSamplesFromPrometheus() throws {
        var batch = RemoteWriteBatch()
        try PrometheusCapture.samplesBody.withUnsafeBytes { try RemoteWriteDecoder().decode(compressedBody: $0, into: &batch) }
        #expect(batch.series.count == 53)
        #expect(batch.sampleCount == 53)
        #expect(batch.series[0] == [
            "__name__": "prometheus_tsdb_lowest_timestamp_seconds", "instance": "127.0.0.1:19090", "job": "prometheus",
        ])
        #expect(batch.timestamps[0] == 1_795_757_556_191)
        #expect(batch.series.allSatisfy { $0["job"] == "prometheus" && $0.name != nil })
        #expect(Set(batch.series).count == 53)
    }

    @Test func reencodesPrometheusBytesExactly() throws {
        let decoded = try Snappy.decompress(PrometheusCapture.samplesBody, maxDecodedLength: 1 << 20)
        let request = try decoded.withUnsafeBytes { try WriteRequest(serializedBytes: $0) }
        #expect(request.serializedBytes() == decoded)
        #expect(try Snappy.decompress(request.compressedBody(), maxDecodedLength: 1 << 20) == decoded)
    }

    @Test func decodesMetadataFromPrometheus() throws {
        let body = [UInt8](try #require(Data(base64Encoded: PrometheusCapture.metadataBodyBase64, options: .ignoreUnknownCharacters)))
        var batch = RemoteWriteBatch()
        try body.withUnsafeBytes { try RemoteWriteDecoder().decode(compressedBody: $0, into: &batch) }
        #expect(batch.series.isEmpty)
        #expect(batch.metadata.count == 202)
        #expect(batch.metadata[0] == MetricMetadata(
            type: .counter, metricFamilyName: "prometheus_remote_storage_exemplars_in_total",
            help: "Exemplars in to remote storage, compare to exemplars out for queue managers."))
        #expect(batch.metadata.contains { $0.type == .summary })
        let decoded = try Snappy.decompress(body, maxDecodedLength: 1 << 20)
        let request = try decoded.withUnsafeBytes { try WriteRequest(serializedBytes: $0) }
        #expect(request.serializedBytes() == decoded)
    }
}
