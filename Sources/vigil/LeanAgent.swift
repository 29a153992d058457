import VigilCollectors
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `vigil agent` without `--config` hands over to `vigil-agent` when that program sits beside
/// `vigil`: the same collectors and routes from a process that links nothing else, about half
/// the resident size (docs/PERFORMANCE.md). It stays in this process when the container
/// collector would ask the API server for pod names (in a pod, or with
/// `--collector.container.kubeconfig`: the lean process has no Kubernetes client), when
/// `VIGIL_AGENT_IN_PROCESS` is set, or when the program is not there.
enum LeanAgent {
    /// The `vigil-agent` to run for `options`, or nil to serve from this process.
    static func executable(options: NodeCollectorOptions, environment: [String: String]) -> String? {
        if !(environment["VIGIL_AGENT_IN_PROCESS"] ?? "").isEmpty { return nil }
        let asksAPIServer = options.containerKubeconfig != nil || !(environment["KUBERNETES_SERVICE_HOST"] ?? "").isEmpty
        if options.enabled.contains("container") && asksAPIServer { return nil }
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let path = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        let candidate = String(path[...slash]) + "vigil-agent"
        return access(candidate, X_OK) == 0 ? candidate : nil
    }

    /// `vigil agent`'s arguments (after the subcommand) without those that only matter with
    /// `--config` (`--data-dir`, `--storage.agent.retention`, `--collectors`).
    static func arguments(afterSubcommand all: [String]) -> [String] {
        let dropped = ["--data-dir", "--storage.agent.retention"]
        var kept: [String] = []
        var index = 0
        while index < all.count {
            let argument = all[index]
            index += 1
            if argument == "--collectors" { continue }
            if dropped.contains(argument) {
                index += 1
                continue
            }
            if dropped.contains(where: { argument.hasPrefix($0 + "=") }) { continue }
            kept.append(argument)
        }
        return kept
    }

    /// This process's arguments after `agent`.
    static var commandLineAfterSubcommand: [String] {
        let all = Array(CommandLine.arguments.dropFirst())
        guard let position = all.firstIndex(of: "agent") else { return all }
        return Array(all[(position + 1)...])
    }

    /// Replaces this process with `program` and `arguments`; returns only when that failed.
    static func exec(_ program: String, _ arguments: [String]) -> Int32 {
        var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(program, &argv)
        let failure = errno
        for pointer in argv { free(pointer) }
        return failure
    }
}
