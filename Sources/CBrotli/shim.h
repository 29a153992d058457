// The system's brotli (Debian's libbrotli-dev), for the log store's sealed chunks.
#include <brotli/encode.h>
#include <brotli/decode.h>
