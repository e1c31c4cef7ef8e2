/* version.c: the module's name, vermagic, __versions CRCs, forced loads and licence taints. */
#include <modvisor/version.h>
#include "internal.h"

/*
 * The parsing of .modinfo and __versions is shared/lib/modinfo.c's (the host
 * reads the same sections with the same code); this file applies the
 * kernel's rules to what it finds, as Linux's check_modinfo(),
 * check_modstruct_version() and check_version() do.
 */

int mod_setup_name(struct load_info *info)
{
	/* Read in place through a char pointer: the file offset need not be aligned. */
	const char *tm_name = (const char *)info->image +
		info->sechdrs[info->index.mod].sh_offset +
		__builtin_offsetof(struct mv_this_module, name);
	const char *name = modinfo_name(&info->mi);

	/* Our modules carry the name in this_module; Linux's in .modinfo. */
	if (!(info->args->mode & MOD_LOAD_ANY_THIS_MODULE)) {
		if (memchr(tm_name, '\0', MV_MODULE_NAME_LEN) == NULL || !tm_name[0]) {
			modenv_log("%s: this_module name is empty or not NUL-terminated",
				   info->name);
			return -ENOEXEC;
		}
		name = tm_name;
	}
	if (!name || !name[0] || strlen(name) >= MV_MODULE_NAME_LEN) {
		modenv_log("%s: no usable module name", info->name);
		return -ENOEXEC;
	}
	info->name = name;
	return 0;
}

/*
 * try_to_force_load: allowed with the kernel's force_load setting, or when
 * the host, which decides which forced loads are allowed, already said so
 * by answering with taint F; it taints F.
 */
static int try_to_force_load(struct load_info *info, const char *reason)
{
	bool host_forced = info->verdict.taints & (1u << MV_TAINT_FORCED_MODULE);

	if (!mod_settings.force_load && !host_forced) {
		modenv_log("%s: %s and forced loading is disabled", info->name, reason);
		return -ENOEXEC;
	}
	modenv_log("%s: %s: kernel tainted.", info->name, reason);
	info->mod->taints |= 1u << MV_TAINT_FORCED_MODULE;
	return 0;
}

int mod_check_modstruct(struct load_info *info)
{
	const Elf64_Shdr *v;
	const char *why = NULL;

	mod_ignore_versions(info);
	if (info->index.vers) {
		v = &info->sechdrs[info->index.vers];
		if (v->sh_type == SHT_NOBITS ||
		    modversions_init(&info->mv, info->image + v->sh_offset,
				     v->sh_size, &why) != 0) {
			modenv_log("%s: __versions: %s", info->name,
				   why ? why : "no file data");
			return -ENOEXEC;
		}
	}
	info->has_versions = info->index.vers != 0;
	if (info->args->mode & MOD_LOAD_NO_VERSIONS)
		return 0;
	/* Linux checks module_layout's CRC here; without __versions that
	 * needs a forced load, else the module is refused. */
	if (!info->has_versions)
		return try_to_force_load(info, "no symbol versions (__versions)");
	return 0;
}

/* vermagic: missing or ignored needs a forced load; a mismatch never loads. */
static int check_vermagic(struct load_info *info)
{
	const char *magic = modinfo_vermagic(&info->mi);

	if (info->args->flags & MV_MODULE_INIT_IGNORE_VERMAGIC)
		magic = NULL;
	if (info->args->mode & MOD_LOAD_NO_VERSIONS)
		return 0;
	if (!magic)
		return try_to_force_load(info, "bad vermagic");
	if (!modinfo_same_magic(magic, MODVISOR_VERMAGIC, info->has_versions)) {
		modenv_log("%s: version magic '%s' should be '%s'", info->name,
			   magic, MODVISOR_VERMAGIC);
		return -ENOEXEC;
	}
	return 0;
}

int mod_check_modinfo(struct load_info *info)
{
	const char *license = modinfo_license(&info->mi);
	struct module *mod = info->mod;
	int err;

	err = check_vermagic(info);
	if (err)
		return err;
	if (!modinfo_intree(&info->mi)) {
		if (!(mod_kernel_taints() & (1u << MV_TAINT_OOT_MODULE)))
			modenv_log("%s: loading out-of-tree module taints kernel.", info->name);
		mod->taints |= 1u << MV_TAINT_OOT_MODULE;
	}
	mod->gpl_ok = modinfo_license_gpl_compatible(license);
	if (!mod->gpl_ok) {
		if (!(mod_kernel_taints() & (1u << MV_TAINT_PROPRIETARY_MODULE)))
			modenv_log("%s: module license '%s' taints kernel.", info->name,
				   license ? license : "unspecified");
		mod->taints |= 1u << MV_TAINT_PROPRIETARY_MODULE;
	}
	return 0;
}

int mod_check_version(const struct load_info *info, const char *sym, uint32_t crc)
{
	/* An exporter without a CRC (0), or an allowed forced load. */
	if (crc == 0 || (info->args->mode & MOD_LOAD_NO_VERSIONS))
		return 0;
	switch (modversions_check(&info->mv, sym, &crc)) {
	case MODVERSION_MISMATCH:
		modenv_log("%s: disagrees about version of symbol %s", info->name, sym);
		return -EINVAL;
	case MODVERSION_NO_SYMBOL:
		modenv_log("%s: no symbol version for %s", info->name, sym);
		return 0;
	default:
		/* MODVERSION_NO_VERSIONS was already forced in mod_check_modstruct. */
		return 0;
	}
}
