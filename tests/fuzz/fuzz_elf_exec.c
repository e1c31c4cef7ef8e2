/* fuzz_elf_exec.c: libFuzzer harness: the guest's execve ELF validator (shared/lib/elf_exec.c). */
#include <stdlib.h>
#include <modvisor/elf_exec.h>
#include "fuzz.h"

/*
 * The input is a static executable from the initrd.  On success every
 * segment must lie inside the file and below the user limit, with at most
 * ELF_EXEC_MAX_SEGS of them; on failure there must be a reason.
 */

#define FUZZ_USER_END  0x00007ffffffff000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_exec_info info;

	uint64_t hdr_len = size < ELF_EXEC_HDR_MAX ? size : ELF_EXEC_HDR_MAX;

	/* The guest reads the first ELF_EXEC_HDR_MAX bytes of the file. */
	if (elf_exec_parse(data, hdr_len, size, FUZZ_USER_END, &info) != 0) {
		if (!info.why)
			abort();
		return 0;
	}
	if (info.nseg == 0 || info.nseg > ELF_EXEC_MAX_SEGS || info.lo > info.hi)
		abort();
	for (uint32_t i = 0; i < info.nseg; i++) {
		const struct elf_exec_seg *s = &info.seg[i];

		if (s->filesz > s->memsz || s->offset > size || s->filesz > size - s->offset)
			abort();
	}
	return 0;
}
