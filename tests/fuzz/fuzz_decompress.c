/* fuzz_decompress.c: libFuzzer harness: compressed module files (gzip, xz, zstd) as finit_module decodes them. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "../../guest/module/decompress.h"

/*
 * The input is a module file given with MODULE_INIT_COMPRESSED_FILE.  It is
 * decoded by guest/module/decompress.c (built for the host with the system
 * zlib, liblzma and libzstd) under a 1 MiB cap, so that bombs are cut
 * quickly: on success the image must fit the cap; on failure nothing may
 * stay allocated (LeakSanitizer) and there must be a reason.
 */

#define FUZZ_CAP  (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mdc_image img;
	int err;

	memset(&img, 0, sizeof(img));
	(void)mdc_method_name(mdc_detect(data, size));
	err = module_decompress(data, size, FUZZ_CAP, &img);
	if (err == 0) {
		if (img.len > FUZZ_CAP || img.len > img.alloc || !img.data)
			abort();
		module_decompress_free(&img);
	} else {
		fuzz_check_str(mdc_last_error(), 512, "mdc_last_error");
		if (!mdc_last_error()[0])
			abort();
	}
	return 0;
}
