/* modpost.h: shared declarations of the SDK's modpost host tool (images/sdk/modpost*.c). */
#ifndef MODPOST_H
#define MODPOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One exported symbol as Module.symvers lists it. */
struct mp_export {
	char    *name;
	char    *module;        /* "vmlinux" or the module's path without .ko */
	uint32_t crc;
	bool     gpl;           /* EXPORT_SYMBOL_GPL */
};

/* A growable list of exports. */
struct mp_symvers {
	struct mp_export *v;
	size_t n, cap;
};

/* What modpost needs from one module object (NAME.o). */
struct mp_object {
	char   *path;           /* "dir/name.o" */
	char   *modname;        /* KBUILD_MODNAME: basename, '-' -> '_' */
	char  **undef;          /* undefined symbols, minus __crc_* */
	bool   *undef_weak;     /* undef[i] is STB_WEAK: may stay unresolved */
	size_t  n_undef;
	char  **exports;        /* from __ksymtab_NAME labels */
	bool   *export_gpl;
	size_t  n_exports;
	bool    has_init, has_exit;
	char   *license;        /* license= from .modinfo, or NULL */
};

/* mp_object_read(path, obj): fill obj from the ELF relocatable at path; 0 or -errno (message printed). */
int mp_object_read(const char *path, struct mp_object *obj);
/* mp_object_free(obj): release what mp_object_read() allocated. */
void mp_object_free(struct mp_object *obj);

/* mp_symvers_add(sv, name, module, crc, gpl): append one export; 0 or -ENOMEM. */
int mp_symvers_add(struct mp_symvers *sv, const char *name, const char *module,
		   uint32_t crc, bool gpl);
/* mp_symvers_find(sv, name): the export called name, or NULL. */
struct mp_export *mp_symvers_find(const struct mp_symvers *sv, const char *name);
/* mp_symvers_read(path, sv): append every line of a Module.symvers file; 0 or -errno. */
int mp_symvers_read(const char *path, struct mp_symvers *sv);
/* mp_symvers_write(path, sv, module): write the exports of module (NULL = all), sorted by name. */
int mp_symvers_write(const char *path, const struct mp_symvers *sv, const char *module);

/*
 * mp_crc_file_load(path): read a preprocessed C file (gcc -E output) for
 * mp_crc_of(); NULL on failure (message printed).
 */
struct mp_crc_file *mp_crc_file_load(const char *path);
/*
 * mp_crc_of(cf, name, crc, text): the version CRC of symbol name's
 * declaration in cf (docs/modversions.md); the normalized text is stored in
 * *text if text is not NULL (caller frees).  0, or -ENOENT without a
 * declaration.
 */
int mp_crc_of(struct mp_crc_file *cf, const char *name, uint32_t *crc, char **text);
/* mp_crc_file_free(cf): release a loaded file. */
void mp_crc_file_free(struct mp_crc_file *cf);

/* mp_license_is_gpl(license): whether Linux counts license as GPL-compatible. */
bool mp_license_is_gpl(const char *license);

#endif
