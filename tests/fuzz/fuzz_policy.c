/* fuzz_policy.c: libFuzzer harness: the policy file (vmm/authority/policy.c through inih) and policy flags. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "../../vmm/authority/policy.h"

/*
 * The input is a policy file, handed to policy_load() as an in-memory file
 * on top of the defaults.  Its lines are then tried as command-line words
 * (policy_cli_option(), as `modvisor run --policy-flag...` reads them) on a
 * second policy.  Errors must be NUL-terminated one-liners; policy_free()
 * must release the allow/deny lists (LeakSanitizer checks).
 */

static void try_cli_words(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[16];
	int argc = 0, used;
	struct policy p;
	char err[512];

	if (!copy)
		return;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (char *s = strtok(copy, "\n"); s && argc < 16; s = strtok(NULL, "\n"))
		argv[argc++] = s;
	policy_init(&p);
	for (int i = 0; i < argc; i += used > 0 ? used : 1) {
		used = 0;
		err[0] = '\0';
		if (policy_cli_option(&p, argc - i, argv + i, &used, err, sizeof(err)) < 0)
			fuzz_check_str(err, sizeof(err), "cli error");
		if (used < 0 || used > argc - i)
			abort();
	}
	(void)policy_measure_set(&p);
	policy_free(&p);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy p;
	char err[512];

	policy_init(&p);
	err[0] = '\0';
	if (policy_load(&p, fuzz_memfile(data, size), err, sizeof(err)) != 0)
		fuzz_check_str(err, sizeof(err), "policy_load error");
	(void)policy_measure_set(&p);
	(void)policy_errno_name(p.enforce_errno);
	policy_free(&p);
	try_cli_words(data, size);
	return 0;
}
