/* random.h: the kernel's random bytes (a ChaCha20 generator seeded by the host). */
#ifndef MV_GUEST_RANDOM_H
#define MV_GUEST_RANDOM_H

#include "kernel.h"

/*
 * get_random_bytes(buf, n): n bytes from a ChaCha20 keystream whose key
 * comes from bootinfo.seed (mixed with RDRAND when the CPU has it) and is
 * replaced after every call, so earlier output cannot be recomputed.
 */
void get_random_bytes(void *buf, size_t n);

#endif
