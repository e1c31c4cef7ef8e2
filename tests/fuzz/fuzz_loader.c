/* fuzz_loader.c: libFuzzer harness: module ELF validation, layout, symbols and relocation (the loader's dry run). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "../hosted/loader_env_hosted.h"
#include "../../guest/module/loader.h"

/*
 * The input is a module image.  It goes through the real loader pipeline
 * (guest/module/, built for the host) twice, in MOD_LOAD_DRY_RUN mode,
 * which validates, lays out, resolves (made-up addresses for undefined
 * symbols) and applies every relocation without running anything:
 *   1. relaxed, as the corpus test runs Debian's modules (any
 *      .gnu.linkonce.this_module size, no vermagic/__versions checks), so
 *      real modules reach the relocation code;
 *   2. strict, as a guest load checks our own modules: this_module size,
 *      vermagic and __versions.
 * The image sits in a page-aligned buffer, as in guest kernel memory.
 * After each load every region and bookkeeping block must be freed.
 */

static void load_once(const uint8_t *img, size_t size, uint32_t mode)
{
	struct mod_reloc_stats st = { 0 };
	struct mod_load_args a = {
		.image = img, .len = size, .source = MV_MODSRC_INIT_MODULE,
		.mode = MOD_LOAD_DRY_RUN | mode, .stats = &st,
	};

	hosted_env_reset();
	henv.quiet = true;
	(void)mod_load(&a, NULL);
	if (henv.live_blocks || henv.live_regions) {
		fprintf(stderr, "fuzz_loader: leaked %ld blocks, %ld regions (mode %#x)\n",
			henv.live_blocks, henv.live_regions, mode);
		abort();
	}
	if (mod_first()) {
		fprintf(stderr, "fuzz_loader: a dry run left a module listed\n");
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap = (size + 4095) & ~(size_t)4095;
	uint8_t *img = aligned_alloc(4096, cap ? cap : 4096);

	if (!img)
		return 0;
	memcpy(img, data, size);
	load_once(img, size, MOD_LOAD_ANY_THIS_MODULE | MOD_LOAD_NO_VERSIONS);
	load_once(img, size, 0);
	free(img);
	return 0;
}
