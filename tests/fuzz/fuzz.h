/* fuzz.h: helpers shared by the libFuzzer harnesses in tests/fuzz/. */
#ifndef MV_FUZZ_H
#define MV_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every harness defines LLVMFuzzerTestOneInput(data, size): it must accept
 * any bytes, and it aborts (a finding) when the code under test breaks one
 * of its own promises (a leak in the loader's accounting, a message that is
 * not NUL-terminated, ...).  ASan and UBSan report the rest.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * fuzz_memfile(data, size): put (data, size) into one in-memory file
 * (memfd) reused by every call and return a path that opens it,
 * "/proc/self/fd/N", for parsers that only take a path.  Aborts when the
 * memfd cannot be written (not a finding: the harness cannot run).
 */
const char *fuzz_memfile(const uint8_t *data, size_t size);

/* fuzz_check_str(s, n, what): abort unless s has a NUL within n bytes. */
void fuzz_check_str(const char *s, size_t n, const char *what);

#endif
