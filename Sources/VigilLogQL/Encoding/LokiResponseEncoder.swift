public import VigilModel

/// Loki's JSON for query answers: `/loki/api/v1/query`, `query_range` and `tail` frames.
///
/// `encode(_:)` is the single call a route makes: it writes the whole
/// `{"status":"success","data":{"resultType":…,"result":…,"stats":…}}` body.
public enum LokiResponseEncoder {
    /// The response body for a query result.
    public static func encode(_ response: LogQLResponse) -> [UInt8] {
        var out = "{\"status\":\"success\",\"data\":{\"resultType\":\""
        out += response.result.resultType
        out += "\",\"result\":"
        appendResult(response.result, to: &out)
        out += ",\"stats\":"
        appendStatistics(response.statistics, to: &out)
        out += "}}"
        return Array(out.utf8)
    }

    /// One WebSocket frame of `/loki/api/v1/tail`: the new entries and the ones dropped.
    public static func encodeTail(streams: [LogStreamResult], dropped: [(labels: Labels, timestamp: Int64)] = []) -> [UInt8] {
        var out = "{\"streams\":"
        appendStreams(streams, to: &out)
        out += ",\"dropped_entries\":"
        if dropped.isEmpty {
            out += "null"
        } else {
            out += "["
            for (index, entry) in dropped.enumerated() {
                if index > 0 { out += "," }
                out += "{\"labels\":"
                JSONQuoting.append(entry.labels, to: &out)
                out += ",\"timestamp\":\"\(entry.timestamp)\"}"
            }
            out += "]"
        }
        out += "}"
        return Array(out.utf8)
    }

    static func appendResult(_ result: LogQLResult, to out: inout String) {
        switch result {
        case .streams(let streams): appendStreams(streams, to: &out)
        case .matrix(let series):
            out += "["
            for (index, item) in series.enumerated() {
                if index > 0 { out += "," }
                out += "{\"metric\":"
                JSONQuoting.append(item.labels, to: &out)
                out += ",\"values\":["
                for (pointIndex, point) in item.points.enumerated() {
                    if pointIndex > 0 { out += "," }
                    appendPoint(point, to: &out)
                }
                out += "]}"
            }
            out += "]"
        case .vector(let series):
            out += "["
            for (index, item) in series.enumerated() {
                if index > 0 { out += "," }
                out += "{\"metric\":"
                JSONQuoting.append(item.labels, to: &out)
                out += ",\"value\":"
                if let point = item.points.first { appendPoint(point, to: &out) } else { out += "null" }
                out += "}"
            }
            out += "]"
        case .scalar(let point):
            appendPoint(point, to: &out)
        }
    }

    static func appendStreams(_ streams: [LogStreamResult], to out: inout String) {
        out += "["
        for (index, stream) in streams.enumerated() {
            if index > 0 { out += "," }
            out += "{\"stream\":"
            JSONQuoting.append(stream.labels, to: &out)
            out += ",\"values\":["
            for (entryIndex, entry) in stream.entries.enumerated() {
                if entryIndex > 0 { out += "," }
                out += "[\"\(entry.timestamp)\","
                // Go's encoder replaces invalid UTF-8 with U+FFFD, as decoding here does.
                JSONQuoting.append(String(decoding: entry.line, as: UTF8.self), to: &out)
                out += "]"
            }
            out += "]}"
        }
        out += "]"
    }

    /// `[<unix seconds>, "<value>"]`, seconds as Prometheus's `model.Time` prints them.
    static func appendPoint(_ point: MetricPoint, to out: inout String) {
        out += "["
        out += formatSeconds(nanoseconds: point.timestamp)
        out += ",\""
        out += formatValue(point.value)
        out += "\"]"
    }

    /// Milliseconds as seconds with up to three decimals and no trailing zeros (`1.5`, `2`).
    static func formatSeconds(nanoseconds: Int64) -> String {
        let milliseconds = nanoseconds >= 0 ? nanoseconds / 1_000_000 : -((-nanoseconds + 999_999) / 1_000_000)
        let negative = milliseconds < 0
        let magnitude = milliseconds.magnitude
        var text = (negative ? "-" : "") + String(magnitude / 1000)
        var fraction = magnitude % 1000
        if fraction != 0 {
            var digits = 3
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            let raw = String(fraction)
            text += "." + String(repeating: "0", count: digits - raw.count) + raw
        }
        return text
    }

    /// A sample value as Go's `strconv.FormatFloat(v, 'f', -1, 64)` (what Loki's `SampleValue`
    /// prints): shortest digits, never an exponent.
    static func formatValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let description = value.magnitude.description
        var digits = ""
        var exponent = 0 // position of the decimal point after `digits`
        var seenPoint = false
        var exponentText = ""
        var inExponent = false
        for character in description {
            if inExponent {
                exponentText.append(character)
            } else if character == "e" || character == "E" {
                inExponent = true
            } else if character == "." {
                seenPoint = true
            } else {
                digits.append(character)
                if !seenPoint { exponent += 1 }
            }
        }
        exponent += Int(exponentText) ?? 0
        // Strip leading zeros (keeping the point position right) and trailing zeros.
        while digits.count > 1, digits.first == "0" {
            digits.removeFirst()
            exponent -= 1
        }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        var text: String
        if exponent <= 0 {
            text = "0." + String(repeating: "0", count: -exponent) + digits
        } else if exponent >= digits.count {
            text = digits + String(repeating: "0", count: exponent - digits.count)
        } else {
            let split = digits.index(digits.startIndex, offsetBy: exponent)
            text = digits[..<split] + "." + digits[split...]
        }
        return (value < 0 ? "-" : "") + text
    }

    /// The `stats` object: Loki's `summary`, and `querier.store` / `ingester` with the counters
    /// this engine keeps (chunk-level counters are the store's and read 0 here).
    static func appendStatistics(_ statistics: LogQLStatistics, to out: inout String) {
        let exec = statistics.execTime
        let bytesPerSecond = exec > 0 ? Int(Double(statistics.totalBytesProcessed) / exec) : 0
        let linesPerSecond = exec > 0 ? Int(Double(statistics.totalLinesProcessed) / exec) : 0
        out += "{\"summary\":{"
        out += "\"bytesProcessedPerSecond\":\(bytesPerSecond),"
        out += "\"linesProcessedPerSecond\":\(linesPerSecond),"
        out += "\"totalBytesProcessed\":\(statistics.totalBytesProcessed),"
        out += "\"totalLinesProcessed\":\(statistics.totalLinesProcessed),"
        out += "\"execTime\":\(GoFloat.format(exec)),"
        out += "\"queueTime\":0,\"subqueries\":0,"
        out += "\"totalEntriesReturned\":\(statistics.totalEntriesReturned),"
        out += "\"splits\":0,\"shards\":0,"
        out += "\"totalPostFilterLines\":\(statistics.totalPostFilterLines),"
        out += "\"totalStructuredMetadataBytesProcessed\":\(statistics.totalStructuredMetadataBytesProcessed)"
        out += "},\"querier\":{\"store\":"
        appendStore(
            decompressedBytes: statistics.totalBytesProcessed, decompressedLines: statistics.totalLinesProcessed,
            postFilterLines: statistics.totalPostFilterLines, to: &out)
        out += "},\"ingester\":{\"totalReached\":0,\"totalChunksMatched\":0,\"totalBatches\":0,\"totalLinesSent\":0,\"store\":"
        appendStore(decompressedBytes: 0, decompressedLines: 0, postFilterLines: 0, to: &out)
        out += "}}"
    }

    static func appendStore(decompressedBytes: Int, decompressedLines: Int, postFilterLines: Int, to out: inout String) {
        out += "{\"totalChunksRef\":0,\"totalChunksDownloaded\":0,\"chunksDownloadTime\":0,"
        out += "\"queryReferencedStructuredMetadata\":false,\"chunk\":{"
        out += "\"headChunkBytes\":0,\"headChunkLines\":0,"
        out += "\"decompressedBytes\":\(decompressedBytes),\"decompressedLines\":\(decompressedLines),"
        out += "\"compressedBytes\":0,\"totalDuplicates\":0,\"postFilterLines\":\(postFilterLines),"
        out += "\"headChunkStructuredMetadataBytes\":0,\"decompressedStructuredMetadataBytes\":0"
        out += "},\"chunkRefsFetchTime\":0,\"congestionControlLatency\":0,\"pipelineWrapperFilteredLines\":0}"
    }
}
