/// What this binary is: reported by `vigil version`, `vigil_build_info` and `/api/v1/status/buildinfo`.
public enum BuildInfo {
    /// The release this source tree builds.
    public static let version = "0.1.0"
    /// The branch releases are cut from.
    public static let branch = "main"
    /// The Swift compiler that built the binary, as Prometheus reports its Go version.
    public static let swiftVersion: String = {
        #if compiler(>=6.4)
        return "swift6.4+"
        #elseif compiler(>=6.3)
        return "swift6.3"
        #elseif compiler(>=6.2)
        return "swift6.2"
        #else
        return "swift6.1"
        #endif
    }()
    /// The operating system and architecture, `linux/amd64` in Go's spelling.
    public static let platform: String = {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "darwin"
        #else
        let os = "unknown"
        #endif
        #if arch(x86_64)
        return os + "/amd64"
        #elseif arch(arm64)
        return os + "/arm64"
        #else
        return os + "/unknown"
        #endif
    }()
}
