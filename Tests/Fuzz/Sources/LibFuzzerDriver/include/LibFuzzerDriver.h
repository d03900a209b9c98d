#ifndef LIBFUZZER_DRIVER_H
#define LIBFUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (libclang_rt.fuzzer): parses the flags in argv and fuzzes `callback`.
/// SwiftPM links each executable with `main` aliased to `<Module>_main`, so libFuzzer's own
/// `main` is not used; each target's `<Module>_main` calls this instead.
int LLVMFuzzerRunDriver(int *argc, char ***argv,
                        int (*callback)(const uint8_t *data, size_t size));

#endif
