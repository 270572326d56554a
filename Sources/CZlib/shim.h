#ifndef PODMORTEM_CZLIB_SHIM_H
#define PODMORTEM_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 is a macro (it passes ZLIB_VERSION and the stream size); Swift cannot call macros.
static inline int CZlib_inflateInit2(z_streamp strm, int windowBits) {
  return inflateInit2(strm, windowBits);
}
#endif
