#if canImport(Glibc)
import Glibc
#endif

/// How the process's allocator holds on to memory it no longer uses.
///
/// glibc's malloc gives each thread that contends an arena of its own (up to eight per core) and
/// keeps freed memory in them; after a burst of ingestion the resident size stays at its peak even
/// though the head holds far less. Fewer arenas and an explicit trim after the head drops data
/// keep the resident size close to what is live. `malloc.h` is not part of Swift's Glibc module,
/// so the two functions are looked up at run time; elsewhere these calls do nothing.
public enum ProcessMemory {
    /// Caps malloc's arenas at one per online core, at least two (call early, before most
    /// threads start).
    public static func limitArenasToCores() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mArenaMax: Int32 = -8  // M_ARENA_MAX in <malloc.h>
        let cores = Swift.max(2, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mArenaMax, Int32(cores))
        #endif
    }

    /// Returns freed memory at the top and in the middle of malloc's heaps to the kernel.
    public static func returnFreedMemory() {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }
}
