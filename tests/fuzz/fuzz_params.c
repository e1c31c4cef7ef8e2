/* fuzz_params.c: libFuzzer harness: module parameter strings (Linux's parse_args) and sysfs writes. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "../hosted/loader_env_hosted.h"
#include "../../guest/module/params.h"

/*
 * The input is "ARGS" or "ARGS\0N VALUE": ARGS is the parameter string of
 * an insmod, parsed by params_parse_module() against one parameter of every
 * type (bool, invbool, byte, short, ushort, int, uint, hexint, long, ulong,
 * ullong, charp, string, arrays of int, bool and charp, an array without a
 * count, a set-only parameter); VALUE, if present, is then written to
 * parameter N % count as a sysfs store.  Every visible parameter is read
 * back through sysfs, then params_free() must release every copy.
 */

static bool bool_v, invbool_v, flags[3];
static unsigned char byte_v;
static short short_v;
static unsigned short ushort_v;
static int int_v, ids[4], nonum[2];
static unsigned int uint_v, hex_v, nids, nflags, nnames;
static long long_v;
static unsigned long ulong_v;
static unsigned long long ullong_v;
static char *charp_v, *names[2];
static char strbuf[8];

static struct mv_kparam_string str_p = { .maxlen = sizeof(strbuf), .string = (uintptr_t)strbuf };
static struct mv_kparam_array ids_p = {
	.max = 4, .elemsize = sizeof(int), .num = (uintptr_t)&nids,
	.ops = (uintptr_t)&param_ops_int, .elem = (uintptr_t)ids,
};
static struct mv_kparam_array flags_p = {
	.max = 3, .elemsize = sizeof(bool), .num = (uintptr_t)&nflags,
	.ops = (uintptr_t)&param_ops_bool, .elem = (uintptr_t)flags,
};
static struct mv_kparam_array names_p = {
	.max = 2, .elemsize = sizeof(char *), .num = (uintptr_t)&nnames,
	.ops = (uintptr_t)&param_ops_charp, .elem = (uintptr_t)names,
};
static struct mv_kparam_array nonum_p = {
	.max = 2, .elemsize = sizeof(int), .num = 0,
	.ops = (uintptr_t)&param_ops_int, .elem = (uintptr_t)nonum,
};
static const struct kernel_param_ops set_only_ops = { .set = param_set_int };

#define P(nm, o, a, pm) { .name = (uintptr_t)(nm), .ops = (uintptr_t)&(o), \
			  .perm = (pm), .level = -1, .arg = (uintptr_t)(a) }

static const struct mv_kernel_param params[] = {
	P("verbose", param_ops_bool, &bool_v, 0644),
	P("quiet", param_ops_invbool, &invbool_v, 0644),
	P("byte", param_ops_byte, &byte_v, 0644),
	P("short", param_ops_short, &short_v, 0644),
	P("ushort", param_ops_ushort, &ushort_v, 0644),
	P("count", param_ops_int, &int_v, 0644),
	P("uint", param_ops_uint, &uint_v, 0444),
	P("hex", param_ops_hexint, &hex_v, 0644),
	P("long", param_ops_long, &long_v, 0644),
	P("ulong", param_ops_ulong, &ulong_v, 0644),
	P("ullong", param_ops_ullong, &ullong_v, 0644),
	P("who", param_ops_charp, &charp_v, 0644),
	P("name", param_ops_string, &str_p, 0644),
	P("ids", param_array_ops, &ids_p, 0644),
	P("flags", param_array_ops, &flags_p, 0644),
	P("names", param_array_ops, &names_p, 0644),
	P("nonum", param_array_ops, &nonum_p, 0600),
	P("dash-name", param_ops_int, &int_v, 0),
	P("setonly", set_only_ops, &int_v, 0200),
};
#define NPARAMS (sizeof(params) / sizeof(params[0]))

/* Every visible parameter's sysfs text must fit the page and end with a NUL. */
static void show_all(void)
{
	static char buf[PARAMS_BUF_SIZE + 1];

	for (size_t i = 0; i < NPARAMS; i++) {
		int n;

		if (!params_sysfs_visible(&params[i]))
			continue;
		memset(buf, 0x55, sizeof(buf));
		n = params_sysfs_show(&params[i], buf);
		if (n >= PARAMS_BUF_SIZE || (n >= 0 && buf[n] != '\0')) {
			fprintf(stderr, "fuzz_params: show of param %zu returned %d\n", i, n);
			abort();
		}
	}
}

static void reset_values(void)
{
	bool_v = invbool_v = false;
	byte_v = 0, short_v = 0, ushort_v = 0, int_v = 0, uint_v = hex_v = 0;
	long_v = 0, ulong_v = 0, ullong_v = 0;
	nids = nflags = nnames = 0;
	memset(strbuf, 0, sizeof(strbuf));
	charp_v = NULL;
	names[0] = names[1] = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t args_len = nul ? (size_t)(nul - data) : size;
	char *args = malloc(args_len + 1);

	if (!args)
		return 0;
	hosted_env_reset();
	henv.quiet = true;
	reset_values();
	memcpy(args, data, args_len);
	args[args_len] = '\0';
	(void)params_parse_module("fuzz", args, params, NPARAMS);
	free(args);
	if (nul && size - args_len >= 2)
		(void)params_sysfs_store(&params[nul[1] % NPARAMS], (const char *)nul + 2,
					 size - args_len - 2);
	show_all();
	params_free(params, NPARAMS);
	if (henv.live_blocks) {
		fprintf(stderr, "fuzz_params: %ld blocks left after params_free\n", henv.live_blocks);
		abort();
	}
	return 0;
}
