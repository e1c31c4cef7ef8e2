/* test_loader_layout.c: section placement (core/init x text/rodata/ro_after_init/data), parameters. */
#include <stdlib.h>
#include <string.h>
#include "../hosted/loadtest.h"
#include "../../guest/module/params.h"
#include "check_main.h"

enum { S_TEXT, S_INIT_TEXT, S_RODATA, S_ROAI, S_DATA, S_BSS, S_INIT_DATA, S_N };

static const char *const names[S_N] = {
	".text.extra", ".init.text", ".rodata", ".data..ro_after_init", ".data", ".bss", ".init.data",
};
static const uint64_t flags[S_N] = {
	SHF_ALLOC | SHF_EXECINSTR, SHF_ALLOC | SHF_EXECINSTR, SHF_ALLOC,
	SHF_ALLOC | SHF_WRITE, SHF_ALLOC | SHF_WRITE, SHF_ALLOC | SHF_WRITE,
	SHF_ALLOC | SHF_WRITE,
};

static uint64_t addr[S_N];      /* each section's module address, seen at init */
static struct mod_layout core_at_init, init_at_init;
static int nprot_at_init;       /* modenv_region_protect() calls before init ran */
static int seals_at_init;       /* MODULE_SEAL calls before init ran */

/* Runs as the module's init: the table .rodata.addrs holds every section's address. */
static int capture(void)
{
	struct module *m = mod_find("test");

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->state, MOD_STATE_COMING);
	core_at_init = m->core;
	init_at_init = m->init;
	nprot_at_init = henv.nprot;
	seals_at_init = henv.seals;
	return 0;
}

static struct module *load_layout_module(void)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);
	uint8_t table[8 * S_N] = { 0 }, data[64];
	struct module *mod;
	int sec[S_N], tab;

	memset(data, 0xab, sizeof(data));
	for (int i = 0; i < S_N; i++)
		sec[i] = eg_section(g, names[i], i == S_BSS ? SHT_NOBITS : SHT_PROGBITS,
				    flags[i], data, i == S_BSS ? 100 : 24, i == S_DATA ? 256 : 8);
	tab = eg_section(g, ".rodata.addrs", SHT_PROGBITS, SHF_ALLOC, table, sizeof(table), 8);
	for (int i = 0; i < S_N; i++)
		eg_rela(g, tab, 8 * (uint64_t)i, R_X86_64_64,
			eg_symbol(g, "", sec[i], 0, STB_LOCAL, STT_SECTION), 0);
	henv.init_hook = capture;
	ck_assert_int_eq(lt_load_eg(g, &mod), 0);
	/* .rodata.addrs comes after .rodata (24 bytes, 8-aligned) in the rodata group. */
	memcpy(addr, mod->core.mem.buf + mod->core.text_end + 24, sizeof(addr));
	return mod;
}

static bool in(uint64_t a, const struct mod_layout *l, uint64_t from, uint64_t to)
{
	return a >= l->mem.va + from && a < l->mem.va + to;
}

START_TEST(groups_in_order)
{
	const struct mod_layout *c = &core_at_init;

	load_layout_module();
	ck_assert_uint_eq(c->text_end % MOD_PAGE_SIZE, 0);
	ck_assert_uint_eq(c->ro_end % MOD_PAGE_SIZE, 0);
	ck_assert_uint_eq(c->ro_after_init_end % MOD_PAGE_SIZE, 0);
	ck_assert_uint_eq(c->size % MOD_PAGE_SIZE, 0);
	ck_assert(in(addr[S_TEXT], c, 0, c->text_end));
	ck_assert(in(addr[S_RODATA], c, c->text_end, c->ro_end));
	ck_assert(in(addr[S_ROAI], c, c->ro_end, c->ro_after_init_end));
	ck_assert(in(addr[S_DATA], c, c->ro_after_init_end, c->size));
	ck_assert(in(addr[S_BSS], c, c->ro_after_init_end, c->size));
	ck_assert(in(addr[S_INIT_TEXT], &init_at_init, 0, init_at_init.text_end));
	ck_assert(in(addr[S_INIT_DATA], &init_at_init, init_at_init.ro_after_init_end,
		     init_at_init.size));
}
END_TEST

START_TEST(alignment_and_contents)
{
	struct module *mod = load_layout_module();
	const uint8_t *data = mod->core.mem.buf + (addr[S_DATA] - mod->core.mem.va);
	const uint8_t *bss = mod->core.mem.buf + (addr[S_BSS] - mod->core.mem.va);

	ck_assert_uint_eq(addr[S_DATA] % 256, 0);
	ck_assert_uint_eq(data[0], 0xab);
	ck_assert_uint_eq(data[23], 0xab);
	for (int i = 0; i < 100; i++)
		ck_assert_uint_eq(bss[i], 0);
}
END_TEST

START_TEST(init_memory_freed)
{
	struct module *mod = load_layout_module();

	ck_assert_uint_gt(init_at_init.size, 0);
	ck_assert_ptr_null(mod->init.mem.buf);
	ck_assert_uint_eq(mod->init.size, 0);
	ck_assert_uint_eq(mod_total_size(mod), mod->core.size);
	ck_assert_int_eq(henv.live_regions, 1);
}
END_TEST

/* The protection the first n modenv_region_protect() calls left on va (~0u: none). */
static unsigned prot_at(uint64_t va, int n)
{
	unsigned prot = ~0u;

	for (int i = 0; i < n; i++)
		if (henv.prot[i].len && va >= henv.prot[i].va && va - henv.prot[i].va < henv.prot[i].len)
			prot = henv.prot[i].prot;
	return prot;
}

/*
 * Before init: core and init text RX, rodata RO, ro_after_init and data RW.
 * After a successful init: the same, with ro_after_init sealed RO.  No range
 * is ever W+X; a range without X is no-execute (loader_env.h).
 */
START_TEST(protections_and_seal)
{
	struct module *mod = load_layout_module();
	const struct mod_layout *c = &mod->core;
	const unsigned R = MOD_PROT_R, W = MOD_PROT_W, X = MOD_PROT_X;
	uint64_t va = c->mem.va;
	int n = henv.nprot;

	ck_assert_int_le(n, 64);
	ck_assert_int_gt(n, nprot_at_init);
	for (int i = 0; i < n; i++)
		ck_assert_msg((henv.prot[i].prot & (W | X)) != (W | X), "call %d is W+X", i);
	ck_assert_uint_lt(c->ro_end, c->ro_after_init_end);
	ck_assert_uint_eq(prot_at(va, nprot_at_init), R | X);
	ck_assert_uint_eq(prot_at(va + c->text_end, nprot_at_init), R);
	ck_assert_uint_eq(prot_at(va + c->ro_end, nprot_at_init), R | W);
	ck_assert_uint_eq(prot_at(va + c->ro_after_init_end, nprot_at_init), R | W);
	ck_assert_uint_eq(prot_at(init_at_init.mem.va, nprot_at_init), R | X);
	ck_assert_uint_eq(prot_at(init_at_init.mem.va + init_at_init.ro_after_init_end,
				  nprot_at_init), R | W);
	ck_assert_uint_eq(prot_at(va, n), R | X);
	ck_assert_uint_eq(prot_at(va + c->text_end - 1, n), R | X);
	ck_assert_uint_eq(prot_at(va + c->text_end, n), R);
	ck_assert_uint_eq(prot_at(va + c->ro_end - 1, n), R);
	ck_assert_uint_eq(prot_at(va + c->ro_end, n), R);             /* sealed */
	ck_assert_uint_eq(prot_at(va + c->ro_after_init_end - 1, n), R);
	ck_assert_uint_eq(prot_at(va + c->ro_after_init_end, n), R | W);
	ck_assert_uint_eq(prot_at(va + c->size - 1, n), R | W);
}
END_TEST

/* __versions and .modinfo are never loaded, as in Linux. */
START_TEST(modinfo_not_loaded)
{
	struct module *mod;

	ck_assert_int_eq(lt_load_eg(eg_module("test", NULL, 0, NULL), &mod), 0);
	/* text page + this_module's data page: nothing else. */
	ck_assert_uint_eq(mod->core.size, 2 * MOD_PAGE_SIZE);
}
END_TEST

/* A this_module with sh_addralign 1 after a 17-byte section: read unaligned (UBSan). */
START_TEST(unaligned_this_module)
{
	size_t len;
	uint8_t *img = lt_default(&len);
	Elf64_Shdr *text = eg_shdr(img, eg_find(img, ".text"));
	Elf64_Shdr *tm = eg_shdr(img, eg_find(img, ".gnu.linkonce.this_module"));
	struct module *mod;

	text->sh_flags = SHF_ALLOC | SHF_WRITE;     /* same group, before it */
	text->sh_size = 17;
	tm->sh_addralign = 1;
	ck_assert_int_eq(lt_load(img, len, 0, NULL, &mod), 0);
	ck_assert_uint_eq(mod->init_fn, mod->core.mem.va + mod->core.ro_after_init_end);
	ck_assert_uint_eq(mod->exit_fn, mod->core.mem.va + mod->core.ro_after_init_end + 8);
	free(img);
}
END_TEST

/* ---- parameters (module memory at real host addresses) ---------------- */

static struct hosted_export param_exports[1];

/* A module with `int count` in .data and module_param(count, int, 0644). */
static uint8_t *param_module(size_t *len)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);
	struct mv_kernel_param kp = { .perm = 0644, .level = -1 };
	int32_t count = 7;
	int data = eg_section(g, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, &count, 4, 4);
	int str = eg_section(g, ".rodata.str", SHT_PROGBITS, SHF_ALLOC, "count", 6, 1);
	int par = eg_section(g, "__param", SHT_PROGBITS, SHF_ALLOC, &kp, sizeof(kp), 8);

	eg_rela(g, par, 0, R_X86_64_64, eg_symbol(g, "", str, 0, STB_LOCAL, STT_SECTION), 0);
	eg_rela(g, par, 8, R_X86_64_64,
		eg_symbol(g, "param_ops_int", SHN_UNDEF, 0, STB_GLOBAL, STT_NOTYPE), 0);
	eg_rela(g, par, 24, R_X86_64_64, eg_symbol(g, "count", data, 0, STB_LOCAL, STT_OBJECT), 0);
	param_exports[0] = (struct hosted_export){ "param_ops_int",
		(uint64_t)(uintptr_t)&param_ops_int, 0, false };
	henv.exports = param_exports;
	henv.nexports = 1;
	henv.identity = true;
	return eg_finish(g, len);
}

static int32_t count_of(const struct module *mod)
{
	return *(int32_t *)(uintptr_t)mod->kp[0].arg;
}

START_TEST(param_set)
{
	struct module *mod;
	size_t len;
	uint8_t *img = param_module(&len);

	ck_assert_int_eq(lt_load(img, len, 0, "count=3", &mod), 0);
	ck_assert_uint_eq(mod->num_kp, 1);
	ck_assert_int_eq(count_of(mod), 3);
	ck_assert_str_eq(mod->args, "count=3");
	free(img);
}
END_TEST

START_TEST(param_default_kept)
{
	struct module *mod;
	size_t len;
	uint8_t *img = param_module(&len);

	ck_assert_int_eq(lt_load(img, len, 0, "", &mod), 0);
	ck_assert_int_eq(count_of(mod), 7);
	free(img);
}
END_TEST

START_TEST(param_bad_value_fails_load)
{
	size_t len;
	uint8_t *img = param_module(&len);

	ck_assert_int_eq(lt_load(img, len, 0, "count=abc", NULL), -EINVAL);
	ck_assert_ptr_null(mod_find("test"));
	ck_assert_int_eq(henv.init_calls, 0);
	ck_assert_int_eq(henv.last_event.event, MV_MODEV_LOAD_FAILED);
	free(img);
}
END_TEST

START_TEST(param_unknown_only_warns)
{
	size_t len;
	uint8_t *img = param_module(&len);

	ck_assert_int_eq(lt_load(img, len, 0, "nosuch=1", NULL), 0);
	ck_assert(hosted_log_has("unknown parameter 'nosuch' ignored"));
	free(img);
}
END_TEST

/* mod_load() with a raw user address for the parameter string. */
static int load_uargs(const uint8_t *img, size_t len, uint64_t uargs)
{
	struct mod_load_args a = { .image = img, .len = len, .uargs = uargs,
				   .source = MV_MODSRC_INIT_MODULE };

	return mod_load(&a, NULL);
}

/* Linux copies the string after the ELF checks and relocation: a bad image is ENOEXEC. */
START_TEST(param_bad_pointer_bad_image)
{
	size_t len;
	uint8_t *img = param_module(&len);

	eg_ehdr(img)->e_machine = 183;
	ck_assert_int_eq(load_uargs(img, len, 0), -ENOEXEC);
	ck_assert_int_eq(henv.strndup_calls, 0);
	free(img);
}
END_TEST

/* ... and symbol resolution comes before it too (simplify_symbols). */
START_TEST(param_bad_pointer_unknown_symbol)
{
	size_t len;
	uint8_t *img = param_module(&len);

	henv.nexports = 0;
	henv.bad_uaddr = 0x1000;
	ck_assert_int_eq(load_uargs(img, len, 0x1000), -ENOENT);
	free(img);
}
END_TEST

/* A good image with an unreadable string: EFAULT, init never runs, nothing stays. */
START_TEST(param_bad_pointer_good_image)
{
	size_t len;
	uint8_t *img = param_module(&len);

	henv.bad_uaddr = 0x1000;
	ck_assert_int_eq(load_uargs(img, len, 0x1000), -EFAULT);
	ck_assert_int_eq(load_uargs(img, len, 0), -EFAULT);
	ck_assert_int_eq(henv.init_calls, 0);
	ck_assert_ptr_null(mod_find("test"));
	ck_assert_int_eq(henv.last_event.event, MV_MODEV_LOAD_FAILED);
	ck_assert_int_eq(henv.last_event.err, EFAULT);
	ck_assert(hosted_log_has("cannot copy the parameter string (errno 14)"));
	free(img);
}
END_TEST

/* Any length, as Linux's strndup_user(uargs, LONG_MAX): no 64 KiB limit. */
START_TEST(param_string_of_any_length)
{
	size_t len, n = (4u << 20) + 1;
	uint8_t *img = param_module(&len);
	char *args = malloc(n + sizeof(" count=5"));
	struct module *mod;

	memset(args, ' ', n);
	strcpy(args + n, " count=5");
	ck_assert_int_eq(lt_load(img, len, 0, args, &mod), 0);
	ck_assert_int_eq(count_of(mod), 5);
	ck_assert_uint_eq(strlen(mod->args), strlen(args));
	free(args);
	free(img);
}
END_TEST

START_TEST(param_name_outside)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);
	struct mv_kernel_param kp = { .name = 0x1000, .perm = 0444, .level = -1 };

	eg_section(g, "__param", SHT_PROGBITS, SHF_ALLOC, &kp, sizeof(kp), 8);
	ck_assert_int_eq(lt_load_eg(g, NULL), -ENOEXEC);
	ck_assert(hosted_log_has("parameter 0 has a name outside the module"));
}
END_TEST

START_TEST(param_bad_table_size)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);

	eg_section(g, "__param", SHT_PROGBITS, SHF_ALLOC, NULL, 40, 8);
	ck_assert_int_eq(lt_load_eg(g, NULL), -ENOEXEC);
}
END_TEST

/*
 * Issue 14: with sealing on, the loader seals after relocation and before
 * init, listing every placed section and both regions; it unseals only
 * after the final event and before the memory goes.
 */
START_TEST(seal_before_init)
{
	struct module *mod;

	henv.seal_ret = 1;
	mod = load_layout_module();
	ck_assert_int_eq(seals_at_init, 1);
	ck_assert_uint_eq(henv.seal_nsecs, S_N + 3);   /* + .text, .rodata.addrs, this_module */
	ck_assert_uint_eq(henv.seal_core.va, mod->core.mem.va);
	ck_assert_uint_eq(henv.seal_core.size, mod->core.size);
	ck_assert_uint_eq(henv.seal_core.ro_end, mod->core.ro_end);
	ck_assert_uint_eq(henv.seal_core.ro_after_init_end, mod->core.ro_after_init_end);
	ck_assert(mod->sealed);
	ck_assert_int_eq(mod_delete("test", 0), 0);
	ck_assert_int_eq(henv.unseals, 1);
	ck_assert_int_eq(henv.last_event.event, MV_MODEV_UNLOADED);
	ck_assert_int_eq(henv.events_at_unseal, henv.events);
	ck_assert_int_eq(henv.live_regions_at_unseal, 1);   /* unsealed, then freed */
	ck_assert_int_eq(henv.live_regions, 0);
}
END_TEST

/* A refused seal fails the load with the host's errno; init never runs. */
START_TEST(seal_refused_fails_load)
{
	size_t len;
	uint8_t *img = lt_default(&len);

	henv.seal_ret = -EACCES;
	ck_assert_int_eq(lt_load(img, len, 0, "", NULL), -EACCES);
	ck_assert_int_eq(henv.seals, 1);
	ck_assert_int_eq(henv.init_calls, 0);
	ck_assert_int_eq(henv.unseals, 0);
	ck_assert_int_eq(henv.last_event.event, MV_MODEV_LOAD_FAILED);
	ck_assert_int_eq(henv.last_event.err, EACCES);
	ck_assert_ptr_nonnull(strstr(henv.log, "the host refused to seal it: scripted refusal"));
	ck_assert_int_eq(henv.live_regions, 0);
	free(img);
}
END_TEST

/* A sealed load that fails later (a bad parameter) is unsealed after its event. */
START_TEST(sealed_failure_unseals)
{
	size_t len;
	uint8_t *img = param_module(&len);

	henv.seal_ret = 1;
	ck_assert_int_eq(lt_load(img, len, 0, "count=abc", NULL), -EINVAL);
	ck_assert_int_eq(henv.seals, 1);
	ck_assert_int_eq(henv.unseals, 1);
	ck_assert_int_eq(henv.events_at_unseal, henv.events);
	ck_assert_int_eq(henv.last_event.event, MV_MODEV_LOAD_FAILED);
	ck_assert_int_gt(henv.live_regions_at_unseal, 0);
	ck_assert_int_eq(henv.live_regions, 0);
	free(img);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("loader-layout");
	TCase *tc = lt_tcase(s, "layout");

	tcase_add_test(tc, groups_in_order);
	tcase_add_test(tc, alignment_and_contents);
	tcase_add_test(tc, init_memory_freed);
	tcase_add_test(tc, protections_and_seal);
	tcase_add_test(tc, modinfo_not_loaded);
	tcase_add_test(tc, unaligned_this_module);
	tc = lt_tcase(s, "params");
	tcase_add_test(tc, param_set);
	tcase_add_test(tc, param_default_kept);
	tcase_add_test(tc, param_bad_value_fails_load);
	tcase_add_test(tc, seal_before_init);
	tcase_add_test(tc, seal_refused_fails_load);
	tcase_add_test(tc, sealed_failure_unseals);
	tcase_add_test(tc, param_bad_pointer_bad_image);
	tcase_add_test(tc, param_bad_pointer_unknown_symbol);
	tcase_add_test(tc, param_bad_pointer_good_image);
	tcase_add_test(tc, param_string_of_any_length);
	tcase_add_test(tc, param_unknown_only_warns);
	tcase_add_test(tc, param_bad_table_size);
	tcase_add_test(tc, param_name_outside);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
