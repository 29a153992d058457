/// `os`: `node_os_info` labelled with os-release's fields (`/etc/os-release`, else
/// `/usr/lib/os-release`, under the rootfs) and `node_os_version`, the major.minor of
/// `VERSION_ID` as a number.
struct OSReleaseCollector: Collector {
    let name = "os"

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        var fields: [String: String]?
        for file in ["/etc/os-release", "/usr/lib/os-release"] {
            do throws(CollectorError) {
                fields = OSReleaseCollector.parse(try context.reader.read(context.paths.root(file)))
                break
            } catch where error.isNotFound {
                continue
            }
        }
        guard let fields else { throw .noData(context.paths.root("/etc/os-release"), "no os-release file found") }
        let value = { (key: String) in fields[key] ?? "" }
        context.sink.gauge(
            "node_os_info",
            "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.",
            1,
            [
                "build_id": value("BUILD_ID"), "id": value("ID"), "id_like": value("ID_LIKE"), "image_id": value("IMAGE_ID"),
                "image_version": value("IMAGE_VERSION"), "name": value("NAME"), "pretty_name": value("PRETTY_NAME"),
                "variant": value("VARIANT"), "variant_id": value("VARIANT_ID"), "version": value("VERSION"),
                "version_codename": value("VERSION_CODENAME"), "version_id": value("VERSION_ID"),
            ])
        if let version = OSReleaseCollector.majorMinor(value("VERSION_ID")), version > 0 {
            context.sink.gauge(
                "node_os_version", "Metric containing the major.minor part of the OS version.", version,
                ["id": value("ID"), "id_like": value("ID_LIKE"), "name": value("NAME")])
        }
    }

    /// `KEY=value` lines; values may be in double or single quotes with backslash escapes.
    static func parse(_ text: ArraySlice<UInt8>) -> [String: String] {
        var fields: [String: String] = [:]
        for line in ByteText.lines(text) {
            let trimmed = ByteText.trimmed(line)
            guard let first = trimmed.first, first != UInt8(ascii: "#"),
                  let equals = trimmed.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let key = ByteText.string(trimmed[..<equals])
            var value = Array(trimmed[(equals + 1)...])
            if let quote = value.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                var unquoted: [UInt8] = []
                var index = 1
                while index < value.count && value[index] != quote {
                    if value[index] == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") && index + 1 < value.count {
                        index += 1
                    }
                    unquoted.append(value[index])
                    index += 1
                }
                value = unquoted
            }
            fields[key] = String(decoding: value, as: UTF8.self)
        }
        return fields
    }

    /// The leading `digits[.digits]` of a version (`22.04.3` → 22.04), or nil.
    static func majorMinor(_ version: String) -> Double? {
        var text = ""
        var seenDot = false
        for character in version {
            if character.isASCII && character.isNumber {
                text.append(character)
            } else if character == "." && !seenDot && !text.isEmpty {
                seenDot = true
                text.append(character)
            } else {
                break
            }
        }
        return text.isEmpty ? nil : Double(text)
    }
}
