#ifndef PODMORTEM_CMALLOC_SHIM_H
#define PODMORTEM_CMALLOC_SHIM_H
// glibc's malloc tuning (mallopt, M_ARENA_MAX), which the Glibc module does not export. The
// C library itself provides it: nothing to link.
#include <malloc.h>
#endif
