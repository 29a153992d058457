#ifndef VIGIL_MALLOC_COUNTER_H
#define VIGIL_MALLOC_COUNTER_H
#include <stdint.h>

/// Allocation calls (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) since start.
uint64_t vigil_malloc_count(void);
/// Bytes requested by those calls since start.
uint64_t vigil_malloc_bytes(void);

#endif
