/* unpack.c: decompress a module file on the host with the guest kernel's own decoder (guest/module/decompress.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../guest/module/decompress.h"
#include "unpack.h"

/*
 * One decompression semantics for host and guest (issue 12, finding 6):
 * the host links the same decompress.c the guest kernel runs in
 * finit_module, so `modvisor verify` and `measure` judge exactly the image
 * the guest would hand over, and refuse exactly the files it refuses.
 */

const char *unpack_method(const uint8_t *p, size_t len)
{
	enum mdc_method m = mdc_detect(p, len);

	return m == MDC_UNKNOWN ? NULL : mdc_method_name(m);
}

int unpack(const uint8_t *p, size_t len, size_t max, uint8_t **out, size_t *outlen,
	   char *err, size_t errlen)
{
	struct mdc_image img;
	int ret;

	*out = NULL;
	*outlen = 0;
	ret = module_decompress(p, len, max, &img);
	if (ret < 0) {
		snprintf(err, errlen, "%s", mdc_last_error());
		return ret;
	}
	*out = img.data;        /* on the host the buffer is malloc()ed: free() releases it */
	*outlen = img.len;
	return 0;
}
