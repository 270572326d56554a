// libFuzzer's driver, linked by `-sanitize=fuzzer` (https://llvm.org/docs/LibFuzzer.html
// "Using libFuzzer as a library"). SwiftPM names an executable's entry point itself, so each fuzz
// target has a Swift `@main` that hands its entry point to this driver instead of relying on
// libFuzzer's own `main`.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
