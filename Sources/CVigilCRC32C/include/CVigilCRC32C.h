#ifndef CVIGILCRC32C_H
#define CVIGILCRC32C_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has a CRC-32C instruction the function below uses (SSE 4.2 on x86-64), else 0.
int vigil_crc32c_hardware(void);

/// The CRC-32C register after `count` bytes, starting from `crc`, with no inversion before or
/// after. Call only when vigil_crc32c_hardware() returned 1.
uint32_t vigil_crc32c_update_hardware(uint32_t crc, const uint8_t *bytes, size_t count);

#endif
