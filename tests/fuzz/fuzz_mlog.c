/* fuzz_mlog.c: libFuzzer harness: the measurement-log reader (log verify and log show). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "../../vmm/authority/mlog.h"

/*
 * The input is a measurement log in any of the three formats (JSON Lines,
 * IMA ascii, IMA binary; the reader detects which), given to
 * mlog_verify_file() and mlog_show_file() as an in-memory file.  The
 * verdict must be consistent: 0 with no bad entry, or -EBADMSG with a
 * NUL-terminated reason.
 */

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	devnull = fopen("/dev/null", "w");
	return devnull ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_memfile(data, size);
	struct mlog_verify v;
	int ret = mlog_verify_file(path, &v);

	fuzz_check_str(v.why, sizeof(v.why), "verify reason");
	if (ret == 0 && v.why[0] != '\0')
		abort();
	if (ret == -EBADMSG && v.bad_entry != v.entries)
		abort();
	(void)mlog_show_file(path, devnull);
	return 0;
}
