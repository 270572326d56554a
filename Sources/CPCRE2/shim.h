#ifndef PODMORTEM_CPCRE2_SHIM_H
#define PODMORTEM_CPCRE2_SHIM_H
// PCRE2 is one header for three code-unit widths; podmortem matches UTF-8 only.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// Macros Swift cannot import.
static inline size_t CPCRE2_zeroTerminated(void) { return PCRE2_ZERO_TERMINATED; }
static inline size_t CPCRE2_unset(void) { return PCRE2_UNSET; }
#endif
