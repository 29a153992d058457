// Counts heap allocations of the whole benchmark process by defining the allocator entry points in
// the executable itself: ELF symbol interposition makes every shared library (the Swift runtime,
// Foundation, libc's own callers) resolve to these, which forward to glibc's __libc_* functions.
#include "MallocCounter.h"
#include <errno.h>
#include <stddef.h>
#include <stdatomic.h>

#if defined(__linux__) && defined(__GLIBC__)
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static _Atomic uint64_t count;
static _Atomic uint64_t bytes;

static inline void record(size_t size) {
    atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&bytes, size, memory_order_relaxed);
}

void *malloc(size_t size) { record(size); return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { record(n * size); return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { record(size); return __libc_realloc(p, size); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t alignment, size_t size) { record(size); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { record(size); return __libc_memalign(alignment, size); }
int posix_memalign(void **out, size_t alignment, size_t size) {
    record(size);
    void *p = __libc_memalign(alignment, size);
    if (p == NULL) return ENOMEM;
    *out = p;
    return 0;
}

uint64_t vigil_malloc_count(void) { return atomic_load_explicit(&count, memory_order_relaxed); }
uint64_t vigil_malloc_bytes(void) { return atomic_load_explicit(&bytes, memory_order_relaxed); }
#else
#error "allocation counting interposes glibc's allocator; build the benchmarks on Linux with glibc"
#endif
