/* fuzz_kernel.c: libFuzzer harness: the VMM's guest-kernel ELF loader (vmm/kernel_load.c). */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "../../vmm/kernel_load.h"

/*
 * The input is a kernel.elf, loaded into 16 MiB of "guest RAM" (a plain
 * buffer: kernel_load() reaches it only through mem_gpa()).  On success
 * the reported image must lie inside RAM with the entry inside it; on
 * failure the message must be a NUL-terminated line naming the file.
 */

#define FUZZ_RAM  (16u << 20)

static struct guest_mem mem;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	mem.host = calloc(1, FUZZ_RAM);
	mem.size = FUZZ_RAM;
	return mem.host ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kernel_info ki;
	char err[256];

	memset(&ki, 0, sizeof(ki));
	if (kernel_load("kernel.elf", data, size, &mem, &ki, err, sizeof(err)) == 0) {
		if (ki.phys_start >= ki.phys_end || ki.phys_end > mem.size)
			abort();
	} else {
		fuzz_check_str(err, sizeof(err), "kernel_load error");
		if (strncmp(err, "kernel.elf: ", 12) != 0)
			abort();
	}
	return 0;
}
