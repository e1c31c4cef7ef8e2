/* fuzz_cpio.c: libFuzzer harness: the newc cpio reader of the initrd (shared/lib/cpio.c). */
#include <stdlib.h>
#include <string.h>
#include <modvisor/cpio.h>
#include "fuzz.h"

/*
 * The input is an initrd.  Every member the reader returns must lie inside
 * the buffer (name NUL-terminated at name_len, data within bounds, header
 * offset before both), and an error must describe itself in one line.
 */

static void check_entry(const uint8_t *buf, size_t len, const struct cpio_entry *e)
{
	const uint8_t *end = buf + len;
	const uint8_t *name = (const uint8_t *)e->name;

	if (e->offset + CPIO_HEADER_LEN > len || name < buf + e->offset ||
	    name + e->name_len >= end || name[e->name_len] != '\0' ||
	    strlen(e->name) != e->name_len)
		abort();
	if (e->data < buf || e->data > end || e->size > (size_t)(end - e->data))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_reader r;
	struct cpio_entry e;
	char msg[160];
	int ret;

	cpio_init(&r, data, size);
	while ((ret = cpio_next(&r, &e)) == 1)
		check_entry(data, size, &e);
	if (ret < 0) {
		cpio_strerror(&r, msg, sizeof(msg));
		fuzz_check_str(msg, sizeof(msg), "cpio_strerror");
		if (cpio_next(&r, &e) != ret)   /* the reader stays failed */
			abort();
	}
	return 0;
}
