/* test_loader_sym.c: symbols, exports and users, versions, taints, the host verdict, init and unload. */
#include <stdlib.h>
#include <string.h>
#include <modvisor/abi/modsig.h>
#include "../hosted/loadtest.h"
#include "check_main.h"

static const struct hosted_export kexports[] = {
	{ "printk", 0xffffffff81000100ull, 0x1234, false },
	{ "gpl_only_fn", 0xffffffff81000200ull, 0, true },
	{ "bad_crc_fn", 0xffffffff81000300ull, 0x9999, false },
};

static void use_kexports(void)
{
	henv.exports = kexports;
	henv.nexports = sizeof(kexports) / sizeof(kexports[0]);
}

/* Add an 8-byte .rodata.imp slot filled by R_X86_64_64 against undefined `name`. */
static int import(struct eg *g, const char *name, int bind)
{
	uint8_t slot[8] = { 0 };
	int sec = eg_section(g, ".rodata.imp", SHT_PROGBITS, SHF_ALLOC, slot, 8, 8);
	int u = eg_symbol(g, name, SHN_UNDEF, 0, bind, STT_NOTYPE);

	eg_rela(g, sec, 0, R_X86_64_64, u, 0);
	return sec;
}

/* Export text+8 under `name` in `secname` (__ksymtab or __ksymtab_gpl). */
static void export(struct eg *g, const char *secname, const char *name, int text)
{
	struct mv_kernel_symbol ks = { .crc = 0x42 };
	int str = eg_section(g, ".rodata.str", SHT_PROGBITS, SHF_ALLOC, name, strlen(name) + 1, 1);
	int strsym = eg_symbol(g, "", str, 0, STB_LOCAL, STT_SECTION);
	int fn = eg_symbol(g, name, text, 8, STB_GLOBAL, STT_FUNC);
	int k = eg_section(g, secname, SHT_PROGBITS, SHF_ALLOC, &ks, sizeof(ks), 8);

	eg_rela(g, k, 0, R_X86_64_64, fn, 0);
	eg_rela(g, k, 8, R_X86_64_64, strsym, 0);
}

/* A module called name with extra .modinfo "k=v\0..." (a string literal). */
#define MODULE_WITH(name, info) eg_module(name, info, sizeof(info), NULL)

/* ---- symbols ---------------------------------------------------------- */

START_TEST(common_symbol)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);

	eg_symbol(g, "shared_var", SHN_COMMON, 8, STB_GLOBAL, STT_OBJECT);
	ck_assert_int_eq(lt_load_eg(g, NULL), -ENOEXEC);
	ck_assert(hosted_log_has("-fno-common"));
}
END_TEST

START_TEST(unknown_symbol)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);

	import(g, "no_such_fn", STB_GLOBAL);
	ck_assert_int_eq(lt_load_eg(g, NULL), -ENOENT);
	ck_assert(hosted_log_has("Unknown symbol no_such_fn"));
	ck_assert_int_eq(henv.last_event.event, MV_MODEV_LOAD_FAILED);
	ck_assert_int_eq(henv.last_event.err, ENOENT);
	ck_assert_str_eq(henv.last_event.name, "test");
}
END_TEST

START_TEST(weak_unknown_is_zero)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);

	import(g, "no_such_fn", STB_WEAK);
	ck_assert_int_eq(lt_load_eg(g, NULL), 0);
}
END_TEST

START_TEST(kernel_export_resolved)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);
	struct module *mod;
	uint64_t v;

	use_kexports();
	import(g, "printk", STB_GLOBAL);
	ck_assert_int_eq(lt_load_eg(g, &mod), 0);
	/* .rodata.imp is the only rodata section. */
	memcpy(&v, mod->core.mem.buf + mod->core.text_end, 8);
	ck_assert_uint_eq(v, 0xffffffff81000100ull);
}
END_TEST

START_TEST(gpl_only_refused_for_proprietary)
{
	struct eg *g = MODULE_WITH("test", "license=Proprietary");

	use_kexports();
	import(g, "gpl_only_fn", STB_GLOBAL);
	ck_assert_int_eq(lt_load_eg(g, NULL), -ENOENT);
	ck_assert(hosted_log_has("GPL-only"));
}
END_TEST

START_TEST(gpl_only_ok_for_gpl)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);

	use_kexports();
	import(g, "gpl_only_fn", STB_GLOBAL);
	ck_assert_int_eq(lt_load_eg(g, NULL), 0);
}
END_TEST

START_TEST(crc_mismatch)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);
	struct mv_modversion v[2] = { { 0x1234, "printk" }, { 0x1111, "bad_crc_fn" } };

	use_kexports();
	/* A second __versions section: the loader uses the last one it saw. */
	eg_section(g, "__versions", SHT_PROGBITS, SHF_ALLOC, v, sizeof(v), 32);
	import(g, "bad_crc_fn", STB_GLOBAL);
	ck_assert_int_eq(lt_load_eg(g, NULL), -EINVAL);
	ck_assert(hosted_log_has("disagrees about version of symbol bad_crc_fn"));
}
END_TEST

START_TEST(crc_match_and_missing_entry)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);

	use_kexports();
	import(g, "printk", STB_GLOBAL);        /* in __versions, same CRC */
	import(g, "bad_crc_fn", STB_GLOBAL);    /* not in __versions: warns */
	ck_assert_int_eq(lt_load_eg(g, NULL), 0);
	ck_assert(hosted_log_has("no symbol version for bad_crc_fn"));
}
END_TEST

START_TEST(ignore_modversions_skips_crcs)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);
	struct mv_modversion v = { 0x1111, "bad_crc_fn" };
	struct module *mod;
	size_t len;
	uint8_t *img;

	use_kexports();
	eg_section(g, "__versions", SHT_PROGBITS, SHF_ALLOC, &v, sizeof(v), 32);
	import(g, "bad_crc_fn", STB_GLOBAL);
	img = eg_finish(g, &len);
	ck_assert_int_eq(lt_load(img, len, MV_MODULE_INIT_IGNORE_MODVERSIONS, NULL, &mod), 0);
	ck_assert(mod->taints & (1u << MV_TAINT_FORCED_MODULE));
	free(img);
}
END_TEST

/* ---- vermagic, forced loads, taints ------------------------------------ */

/* The default module with its vermagic string overwritten in place. */
static uint8_t *with_vermagic(const char *magic, size_t *len)
{
	uint8_t *img = lt_default(len);
	Elf64_Shdr *mi = eg_shdr(img, eg_find(img, ".modinfo"));
	char *p = memmem(img + mi->sh_offset, mi->sh_size, "vermagic=", 9);

	memset(p + 9, 0, strlen(p + 9));
	memcpy(p + 9, magic, strlen(magic));
	return img;
}

START_TEST(vermagic_mismatch)
{
	size_t len;
	uint8_t *img = with_vermagic("6.1.0-modvisor SMP preempt ", &len);

	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), -ENOEXEC);
	ck_assert(hosted_log_has("version magic"));
	/* A mismatch is refused even with forced loading allowed. */
	ck_assert(mod_settings.force_load);
	free(img);
}
END_TEST

/* With __versions, the release (first word) does not have to match. */
START_TEST(vermagic_other_release_ok)
{
	size_t len;
	uint8_t *img = with_vermagic("6.1.99 SMP mod_unload modversions ", &len);

	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), 0);
	free(img);
}
END_TEST

START_TEST(vermagic_missing_forced)
{
	size_t len;
	uint8_t *img = lt_default(&len);
	Elf64_Shdr *mi = eg_shdr(img, eg_find(img, ".modinfo"));
	struct module *mod;

	memcpy(memmem(img + mi->sh_offset, mi->sh_size, "vermagic=", 9), "vermagix=", 9);
	ck_assert_int_eq(lt_load(img, len, 0, NULL, &mod), 0);
	ck_assert(mod->taints & (1u << MV_TAINT_FORCED_MODULE));
	ck_assert(mod_kernel_taints() & (1u << MV_TAINT_FORCED_MODULE));
	free(img);
}
END_TEST

START_TEST(vermagic_missing_not_forced)
{
	size_t len;
	uint8_t *img = lt_default(&len);
	Elf64_Shdr *mi = eg_shdr(img, eg_find(img, ".modinfo"));

	mod_settings.force_load = false;
	memcpy(memmem(img + mi->sh_offset, mi->sh_size, "vermagic=", 9), "vermagix=", 9);
	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), -ENOEXEC);
	ck_assert(hosted_log_has("bad vermagic"));
	free(img);
}
END_TEST

START_TEST(ignore_vermagic_flag)
{
	size_t len;
	uint8_t *img = with_vermagic("something else entirely", &len);
	struct module *mod;

	ck_assert_int_eq(lt_load(img, len, MV_MODULE_INIT_IGNORE_VERMAGIC, NULL, &mod), 0);
	ck_assert(mod->taints & (1u << MV_TAINT_FORCED_MODULE));
	mod_delete("test", 0);
	mod_settings.force_load = false;
	ck_assert_int_eq(lt_load(img, len, MV_MODULE_INIT_IGNORE_VERMAGIC, NULL, NULL), -ENOEXEC);
	free(img);
}
END_TEST

START_TEST(no_versions_needs_force)
{
	size_t len;
	uint8_t *img = lt_default(&len);
	char *name = (char *)img + eg_shdr(img, eg_ehdr(img)->e_shstrndx)->sh_offset +
		     eg_shdr(img, eg_find(img, "__versions"))->sh_name;
	struct module *mod;

	name[2] = 'X';  /* "__Xersions": no __versions section */
	mod_settings.force_load = false;
	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), -ENOEXEC);
	ck_assert(hosted_log_has("no symbol versions"));
	mod_settings.force_load = true;
	ck_assert_int_eq(lt_load(img, len, 0, NULL, &mod), 0);
	ck_assert(mod->taints & (1u << MV_TAINT_FORCED_MODULE));
	free(img);
}
END_TEST

/* The host allows a forced load by answering with taint F. */
START_TEST(host_permits_forced_load)
{
	size_t len;
	uint8_t *img = with_vermagic("x", &len);
	struct module *mod;

	mod_settings.force_load = false;
	henv.verdict.taints = 1u << MV_TAINT_FORCED_MODULE;
	ck_assert_int_eq(lt_load(img, len, MV_MODULE_INIT_IGNORE_VERMAGIC, NULL, &mod), 0);
	ck_assert(mod->taints & (1u << MV_TAINT_FORCED_MODULE));
	free(img);
}
END_TEST

START_TEST(ignore_modversions_needs_force)
{
	size_t len;
	uint8_t *img = lt_default(&len);

	mod_settings.force_load = false;
	ck_assert_int_eq(lt_load(img, len, MV_MODULE_INIT_IGNORE_MODVERSIONS, NULL, NULL), -ENOEXEC);
	free(img);
}
END_TEST

/*
 * Kernel taints are sticky and their notices once per boot, as in Linux: the
 * taint tests hold whatever ran before them in this process (CK_FORK=no).
 */
START_TEST(taint_proprietary)
{
	uint32_t before = mod_kernel_taints();
	struct module *mod;

	ck_assert_int_eq(lt_load_eg(MODULE_WITH("test", "license=Proprietary"), &mod), 0);
	ck_assert(mod->taints & (1u << MV_TAINT_PROPRIETARY_MODULE));
	ck_assert(!mod->gpl_ok);
	ck_assert(hosted_log_has("module license 'Proprietary' taints kernel") ==
		  !(before & (1u << MV_TAINT_PROPRIETARY_MODULE)));
}
END_TEST

/* As in Linux, the kernel keeps a failed load's taints. */
START_TEST(taint_kept_after_failure)
{
	struct eg *g = MODULE_WITH("test", "license=Proprietary");

	import(g, "no_such_fn", STB_GLOBAL);
	ck_assert_int_eq(lt_load_eg(g, NULL), -ENOENT);
	ck_assert(mod_kernel_taints() & (1u << MV_TAINT_PROPRIETARY_MODULE));
	ck_assert(mod_kernel_taints() & (1u << MV_TAINT_OOT_MODULE));
}
END_TEST

START_TEST(taint_gpl_intree_clean)
{
	uint32_t before = mod_kernel_taints();
	struct module *mod;

	ck_assert_int_eq(lt_load_eg(MODULE_WITH("test", "intree=Y"), &mod), 0);
	ck_assert_uint_eq(mod->taints, 0);
	ck_assert_uint_eq(mod_kernel_taints(), before);
}
END_TEST

START_TEST(taint_out_of_tree)
{
	uint32_t before = mod_kernel_taints();
	struct module *mod;

	ck_assert_int_eq(lt_load_eg(eg_module("test", NULL, 0, NULL), &mod), 0);
	ck_assert_uint_eq(mod->taints, 1u << MV_TAINT_OOT_MODULE);
	ck_assert(hosted_log_has("loading out-of-tree module taints kernel") ==
		  !(before & (1u << MV_TAINT_OOT_MODULE)));
}
END_TEST

/* ---- the host's verdict and the signature trailer --------------------- */

START_TEST(host_denies)
{
	size_t len;
	uint8_t *img = lt_default(&len);

	henv.verdict.allow = false;
	henv.verdict.err = EKEYREJECTED;
	strcpy(henv.verdict.reason, "Loading of unsigned module is rejected");
	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), -EKEYREJECTED);
	/* Issue 16: the errno's name and Linux's line, not a bare number. */
	ck_assert(hosted_log_has("init_module: load refused by the host: EKEYREJECTED: Loading of "
				 "unsigned module is rejected"));
	ck_assert_int_eq(henv.verdict_calls, 1);
	ck_assert_int_eq(henv.init_calls, 0);
	/* The host is asked before any parsing: even garbage gets its verdict. */
	memset(img, 0xff, len);
	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), -EKEYREJECTED);
	free(img);
}
END_TEST

START_TEST(host_taints_applied)
{
	uint32_t before = mod_kernel_taints();
	struct module *mod;

	henv.verdict.taints = 1u << MV_TAINT_UNSIGNED_MODULE;
	henv.verdict.load_id = 77;
	ck_assert_int_eq(lt_load_eg(MODULE_WITH("test", "intree=Y"), &mod), 0);
	ck_assert_uint_eq(mod->taints, 1u << MV_TAINT_UNSIGNED_MODULE);
	ck_assert_uint_eq(mod_kernel_taints(), before | 1u << MV_TAINT_UNSIGNED_MODULE);
	ck_assert_uint_eq(henv.last_event.load_id, 77);
	ck_assert_uint_eq(henv.last_event.taints, 1u << MV_TAINT_UNSIGNED_MODULE);
	/* Linux's notice, once per boot, when a module without a good signature loads. */
	ck_assert(hosted_log_has("test: module verification failed: signature and/or required key "
				 "missing - tainting kernel") ==
		  !(before & (1u << MV_TAINT_UNSIGNED_MODULE)));
	henv.log[0] = '\0';
	henv.verdict.load_id = 78;
	ck_assert_int_eq(mod_delete("test", 0), 0);
	ck_assert_int_eq(lt_load_eg(MODULE_WITH("test", "intree=Y"), &mod), 0);
	ck_assert(!hosted_log_has("module verification failed"));
}
END_TEST

/* The default module followed by a fake PKCS#7 and a trailer. */
static uint8_t *signed_image(size_t *len, uint8_t algo)
{
	size_t n;
	uint8_t *elf = lt_default(&n);
	struct mv_module_signature ms = { .algo = algo, .id_type = MV_MODSIG_PKEY_PKCS7,
					  .sig_len_be = __builtin_bswap32(16) };
	uint8_t *img = aligned_alloc(8, (n + 16 + sizeof(ms) + MV_MODSIG_MARKER_LEN + 7) & ~7ul);

	memcpy(img, elf, n);
	memset(img + n, 0x30, 16);
	memcpy(img + n + 16, &ms, sizeof(ms));
	memcpy(img + n + 16 + sizeof(ms), MV_MODSIG_MARKER, MV_MODSIG_MARKER_LEN);
	*len = n + 16 + sizeof(ms) + MV_MODSIG_MARKER_LEN;
	free(elf);
	return img;
}

START_TEST(signed_module_loads)
{
	size_t len;
	uint8_t *img = signed_image(&len, 0);

	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), 0);
	free(img);
}
END_TEST

START_TEST(bad_trailer_ebadmsg)
{
	size_t len;
	uint8_t *img = signed_image(&len, 1);

	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), -EBADMSG);
	ck_assert(hosted_log_has("bad signature trailer"));
	/* With an IGNORE flag the trailer is not looked at (and taints F). */
	ck_assert_int_eq(lt_load(img, len, MV_MODULE_INIT_IGNORE_VERMAGIC, NULL, NULL), 0);
	free(img);
}
END_TEST

/* ---- names, exports, users ------------------------------------------- */

START_TEST(duplicate_name)
{
	struct module *first;
	size_t len;
	uint8_t *img = lt_default(&len);

	ck_assert_int_eq(lt_load(img, len, 0, NULL, &first), 0);
	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), -EEXIST);
	ck_assert_ptr_eq(mod_find("test"), first);
	ck_assert_int_eq(first->state, MOD_STATE_LIVE);
	free(img);
}
END_TEST

START_TEST(exporter_and_importer)
{
	struct eg *a = eg_module("exporter", NULL, 0, NULL), *b;
	struct module *ma, *mb;
	uint64_t v;
	int text = 1;

	export(a, "__ksymtab", "a_func", text);
	ck_assert_int_eq(lt_load_eg(a, &ma), 0);
	ck_assert_uint_eq(ma->num_syms, 1);
	b = eg_module("importer", NULL, 0, NULL);
	import(b, "a_func", STB_GLOBAL);
	ck_assert_int_eq(lt_load_eg(b, &mb), 0);
	memcpy(&v, mb->core.mem.buf + mb->core.text_end, 8);
	ck_assert_uint_eq(v, ma->core.mem.va + 8);
	ck_assert_uint_eq(ma->refcnt, 1);
	ck_assert(mod_uses(mb, ma));
	ck_assert_int_eq(mod_delete("exporter", 0), -EWOULDBLOCK);
	ck_assert_int_eq(mod_delete("exporter", MOD_DELETE_TRUNC), -EWOULDBLOCK);
	ck_assert_int_eq(mod_delete("importer", MOD_DELETE_NONBLOCK), 0);
	ck_assert_uint_eq(ma->refcnt, 0);
	ck_assert_int_eq(mod_delete("exporter", MOD_DELETE_NONBLOCK), 0);
}
END_TEST

START_TEST(gpl_export_hidden_from_proprietary)
{
	struct eg *a = eg_module("exporter", NULL, 0, NULL), *b;

	export(a, "__ksymtab_gpl", "a_func", 1);
	ck_assert_int_eq(lt_load_eg(a, NULL), 0);
	b = MODULE_WITH("importer", "license=Proprietary");
	import(b, "a_func", STB_GLOBAL);
	ck_assert_int_eq(lt_load_eg(b, NULL), -ENOENT);
	b = eg_module("importer", NULL, 0, NULL);
	import(b, "a_func", STB_GLOBAL);
	ck_assert_int_eq(lt_load_eg(b, NULL), 0);
}
END_TEST

START_TEST(export_duplicates_kernel)
{
	struct eg *a = eg_module("exporter", NULL, 0, NULL);

	use_kexports();
	export(a, "__ksymtab", "printk", 1);
	ck_assert_int_eq(lt_load_eg(a, NULL), -ENOEXEC);
	ck_assert(hosted_log_has("exports duplicate symbol printk (owned by kernel)"));
}
END_TEST

START_TEST(export_duplicates_module)
{
	struct eg *a = eg_module("first", NULL, 0, NULL), *c;

	export(a, "__ksymtab", "a_func", 1);
	ck_assert_int_eq(lt_load_eg(a, NULL), 0);
	c = eg_module("second", NULL, 0, NULL);
	export(c, "__ksymtab_gpl", "a_func", 1);
	ck_assert_int_eq(lt_load_eg(c, NULL), -ENOEXEC);
	ck_assert(hosted_log_has("exports duplicate symbol a_func (owned by first)"));
	ck_assert_ptr_null(mod_find("second"));
}
END_TEST

START_TEST(export_bad_name_pointer)
{
	struct eg *a = eg_module("exporter", NULL, 0, NULL);
	struct mv_kernel_symbol ks = { .name = 0x1234 };

	eg_section(a, "__ksymtab", SHT_PROGBITS, SHF_ALLOC, &ks, sizeof(ks), 8);
	ck_assert_int_eq(lt_load_eg(a, NULL), -ENOEXEC);
	ck_assert(hosted_log_has("name outside the module"));
}
END_TEST

START_TEST(ksymtab_bad_size)
{
	struct eg *a = eg_module("exporter", NULL, 0, NULL);

	eg_section(a, "__ksymtab", SHT_PROGBITS, SHF_ALLOC, NULL, 20, 8);
	ck_assert_int_eq(lt_load_eg(a, NULL), -ENOEXEC);
	ck_assert(hosted_log_has("24-byte entries"));
}
END_TEST

/* ---- init and delete -------------------------------------------------- */

START_TEST(delete_unknown)
{
	ck_assert_int_eq(mod_delete("nothing", 0), -ENOENT);
}
END_TEST

START_TEST(init_without_exit)
{
	size_t len;
	uint8_t *img = lt_default(&len);
	Elf64_Rela *r = (Elf64_Rela *)(img + eg_shdr(img, eg_find(img,
				".rela.gnu.linkonce.this_module"))->sh_offset);

	r[1].r_info = ELF64_R_INFO(ELF64_R_SYM(r[1].r_info), R_X86_64_NONE);
	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), 0);
	ck_assert_int_eq(mod_delete("test", MOD_DELETE_NONBLOCK), -EBUSY);
	mod_settings.force_unload = false;
	ck_assert_int_eq(mod_delete("test", MOD_DELETE_TRUNC), -EBUSY);
	mod_settings.force_unload = true;
	ck_assert_int_eq(mod_delete("test", MOD_DELETE_TRUNC), 0);
	ck_assert_int_eq(henv.exit_calls, 0);
	free(img);
}
END_TEST

START_TEST(init_fails)
{
	size_t len;
	uint8_t *img = lt_default(&len);

	henv.init_ret = -EIO;
	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), -EIO);
	ck_assert_ptr_null(mod_find("test"));
	ck_assert_int_eq(henv.last_event.event, MV_MODEV_INIT_FAILED);
	ck_assert_int_eq(henv.last_event.init_ret, -EIO);
	ck_assert_int_eq(henv.live_regions, 0);
	/* The name is free again. */
	henv.init_ret = 0;
	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), 0);
	free(img);
}
END_TEST

/* A contained fault in init fails the load with EFAULT and reports INIT_FAULT. */
START_TEST(init_faults)
{
	henv.init_faults = true;
	ck_assert_int_eq(lt_load_eg(eg_module("test", NULL, 0, NULL), NULL), -EFAULT);
	ck_assert_int_eq(henv.last_event.event, MV_MODEV_INIT_FAULT);
	ck_assert_int_eq(henv.last_event.err, EFAULT);
	ck_assert_ptr_null(mod_find("test"));
}
END_TEST

/* The INIT_FAULT event locates the fault in the module; INIT_START came first; taint D. */
START_TEST(init_fault_located)
{
	uint32_t before = henv.events;

	henv.init_faults = true;
	ck_assert_int_eq(lt_load_eg(eg_module("test", NULL, 0, NULL), NULL), -EFAULT);
	ck_assert_uint_eq(henv.events - before, 2);     /* INIT_START, INIT_FAULT */
	ck_assert_int_eq(henv.last_event.event, MV_MODEV_INIT_FAULT);
	ck_assert_uint_eq(henv.last_event.fault_vector, 14);
	ck_assert_uint_ne(henv.last_event.fault_rip, 0);
	ck_assert_uint_ne(henv.last_event.fault_where, MV_FAULT_IN_KERNEL);
	ck_assert(mod_kernel_taints() & (1u << MV_TAINT_DIE));
}
END_TEST

START_TEST(init_positive_warns)
{
	henv.init_ret = 5;
	ck_assert_int_eq(lt_load_eg(eg_module("test", NULL, 0, NULL), NULL), 0);
	ck_assert(hosted_log_has("suspiciously returned 5"));
	ck_assert_int_eq(mod_find("test")->state, MOD_STATE_LIVE);
}
END_TEST

/* Every allocation the pipeline makes can fail: -ENOMEM and nothing leaks. */
START_TEST(enomem_everywhere)
{
	struct eg *a = eg_module("exporter", NULL, 0, NULL), *b;
	size_t alen, blen;
	uint8_t *aimg, *bimg;
	int err;

	export(a, "__ksymtab", "a_func", 1);
	aimg = eg_finish(a, &alen);
	ck_assert_int_eq(lt_load(aimg, alen, 0, NULL, NULL), 0);
	b = eg_module("importer", NULL, 0, NULL);
	import(b, "a_func", STB_GLOBAL);
	{
		uint8_t init_text[16] = { 0 };
		eg_section(b, ".init.text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
			   init_text, sizeof(init_text), 16);
	}
	bimg = eg_finish(b, &blen);
	for (long k = 1;; k++) {
		long blocks = henv.live_blocks, regions = henv.live_regions;

		henv.allocs = 0;
		henv.fail_alloc_at = k;
		err = lt_load(bimg, blen, 0, "", NULL);
		if (err == 0)
			break;
		ck_assert_int_eq(err, -ENOMEM);
		ck_assert_int_eq(henv.live_blocks, blocks);
		ck_assert_int_eq(henv.live_regions, regions);
		ck_assert_uint_eq(mod_find("exporter")->refcnt, 0);
		ck_assert_ptr_null(mod_find("importer"));
		ck_assert_int_lt(k, 50);
	}
	henv.fail_alloc_at = 0;
	free(aimg);
	free(bimg);
}
END_TEST

START_TEST(dry_run_leaves_nothing)
{
	struct mod_reloc_stats st = { 0 };
	size_t len;
	uint8_t *img = lt_default(&len);
	struct mod_load_args a = { .image = img, .len = len, .mode = MOD_LOAD_DRY_RUN,
				   .stats = &st };

	ck_assert_int_eq(mod_load(&a, NULL), 0);
	ck_assert_ptr_null(mod_first());
	ck_assert_int_eq(henv.verdict_calls, 0);
	ck_assert_int_eq(henv.init_calls, 0);
	ck_assert_int_eq(henv.events, 0);
	ck_assert_uint_eq(st.by_type[R_X86_64_64], 2);
	ck_assert_uint_eq(st.total, 2);
	free(img);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("loader-sym");
	TCase *tc = lt_tcase(s, "symbols");

	tcase_add_test(tc, common_symbol);
	tcase_add_test(tc, unknown_symbol);
	tcase_add_test(tc, weak_unknown_is_zero);
	tcase_add_test(tc, kernel_export_resolved);
	tcase_add_test(tc, gpl_only_refused_for_proprietary);
	tcase_add_test(tc, gpl_only_ok_for_gpl);
	tcase_add_test(tc, crc_mismatch);
	tcase_add_test(tc, crc_match_and_missing_entry);
	tcase_add_test(tc, ignore_modversions_skips_crcs);
	tc = lt_tcase(s, "versions");
	tcase_add_test(tc, vermagic_mismatch);
	tcase_add_test(tc, vermagic_other_release_ok);
	tcase_add_test(tc, vermagic_missing_forced);
	tcase_add_test(tc, vermagic_missing_not_forced);
	tcase_add_test(tc, ignore_vermagic_flag);
	tcase_add_test(tc, no_versions_needs_force);
	tcase_add_test(tc, ignore_modversions_needs_force);
	tcase_add_test(tc, host_permits_forced_load);
	tcase_add_test(tc, taint_proprietary);
	tcase_add_test(tc, taint_kept_after_failure);
	tcase_add_test(tc, taint_gpl_intree_clean);
	tcase_add_test(tc, taint_out_of_tree);
	tc = lt_tcase(s, "host");
	tcase_add_test(tc, host_denies);
	tcase_add_test(tc, host_taints_applied);
	tcase_add_test(tc, signed_module_loads);
	tcase_add_test(tc, bad_trailer_ebadmsg);
	tc = lt_tcase(s, "exports");
	tcase_add_test(tc, duplicate_name);
	tcase_add_test(tc, exporter_and_importer);
	tcase_add_test(tc, gpl_export_hidden_from_proprietary);
	tcase_add_test(tc, export_duplicates_kernel);
	tcase_add_test(tc, export_duplicates_module);
	tcase_add_test(tc, export_bad_name_pointer);
	tcase_add_test(tc, ksymtab_bad_size);
	tc = lt_tcase(s, "lifecycle");
	tcase_add_test(tc, delete_unknown);
	tcase_add_test(tc, init_without_exit);
	tcase_add_test(tc, init_fails);
	tcase_add_test(tc, init_faults);
	tcase_add_test(tc, init_fault_located);
	tcase_add_test(tc, init_positive_warns);
	tcase_add_test(tc, enomem_everywhere);
	tcase_add_test(tc, dry_run_leaves_nothing);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
