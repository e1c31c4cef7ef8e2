/* authority_run.c: hooks that give `modvisor run` its module authority (flags, open, close). */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "authority.h"
#include "run.h"
#include "vm.h"

/* Policy flags reach us through cmd_run.c's run_extra hook. */
__attribute__((constructor)) static void authority_run_register(void)
{
	run_extra = authority_cli_option;
	run_extra_check = authority_check_inputs;
}

int authority_run_open(struct vm *vm, const char *kernel)
{
	char err[PATH_MAX + 512];

	if (authority_open(&vm->auth, NULL, kernel, err, sizeof(err)) < 0) {
		fprintf(stderr, "modvisor: %s\n", err);
		fprintf(stderr, "modvisor: the module authority is not ready: not starting the guest\n");
		return -1;
	}
	return 0;
}

int authority_run_close(struct vm *vm, int status)
{
	char msg[PATH_MAX + 512];
	bool loads;
	int ret;

	if (!vm->auth)
		return status;
	loads = vm->auth->next_load_id > 1;
	ret = authority_close(vm->auth, msg, sizeof(msg));
	vm->auth = NULL;
	if (ret < 0) {
		fprintf(stderr, "modvisor: %s\n", msg);
		return MV_EXIT_SETUP;
	}
	/* The anchor for `modvisor log verify --aggregate`, once modules were involved. */
	if (loads)
		fprintf(stderr, "modvisor: %s\n", msg);
	return status;
}
