// The system's zlib (Debian's zlib1g-dev), for gzip and deflate bodies.
#include <zlib.h>
