/* modpost-elf.c: read what modpost needs from a module's ELF relocatable object. */
#include <modvisor/elf64.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modpost.h"

struct elf_file {
	const char    *path;
	unsigned char *buf;
	size_t         size;
	Elf64_Ehdr    *eh;
	Elf64_Shdr    *sh;
	const char    *shstr;
	size_t         shstr_size;
};

static int elf_fail(const struct elf_file *ef, const char *why)
{
	fprintf(stderr, "modpost: %s: %s\n", ef->path, why);
	return -ENOEXEC;
}

/* elf_in_file(ef, off, len): whether [off, off+len) lies inside the file. */
static bool elf_in_file(const struct elf_file *ef, uint64_t off, uint64_t len)
{
	uint64_t end;

	return !__builtin_add_overflow(off, len, &end) && end <= ef->size;
}

static int elf_load(struct elf_file *ef, const char *path)
{
	FILE *f = fopen(path, "rb");
	long len;

	ef->path = path;
	if (!f) {
		fprintf(stderr, "modpost: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return elf_fail(ef, "cannot size the file");
	}
	ef->size = (size_t)len;
	ef->buf = malloc(ef->size ? ef->size : 1);
	if (!ef->buf || fread(ef->buf, 1, ef->size, f) != ef->size) {
		fclose(f);
		return elf_fail(ef, "cannot read the file");
	}
	fclose(f);
	return 0;
}

/* elf_check(ef): the header and section table of an x86-64 ET_REL are sane. */
static int elf_check(struct elf_file *ef)
{
	Elf64_Shdr *ss;

	if (ef->size < sizeof(Elf64_Ehdr) || memcmp(ef->buf, ELFMAG, SELFMAG))
		return elf_fail(ef, "not an ELF file");
	ef->eh = (Elf64_Ehdr *)ef->buf;
	if (ef->eh->e_ident[EI_CLASS] != ELFCLASS64 || ef->eh->e_type != ET_REL ||
	    ef->eh->e_machine != EM_X86_64)
		return elf_fail(ef, "not an x86-64 relocatable object");
	if (ef->eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !elf_in_file(ef, ef->eh->e_shoff,
			 (uint64_t)ef->eh->e_shnum * sizeof(Elf64_Shdr)) ||
	    ef->eh->e_shstrndx >= ef->eh->e_shnum)
		return elf_fail(ef, "bad section header table");
	ef->sh = (Elf64_Shdr *)(ef->buf + ef->eh->e_shoff);
	ss = &ef->sh[ef->eh->e_shstrndx];
	if (!elf_in_file(ef, ss->sh_offset, ss->sh_size) || ss->sh_size == 0 ||
	    ef->buf[ss->sh_offset + ss->sh_size - 1] != '\0')
		return elf_fail(ef, "bad section name table");
	ef->shstr = (const char *)ef->buf + ss->sh_offset;
	ef->shstr_size = ss->sh_size;
	for (unsigned i = 0; i < ef->eh->e_shnum; i++) {
		if (ef->sh[i].sh_name >= ef->shstr_size)
			return elf_fail(ef, "section name out of bounds");
		if (ef->sh[i].sh_type != SHT_NOBITS &&
		    !elf_in_file(ef, ef->sh[i].sh_offset, ef->sh[i].sh_size))
			return elf_fail(ef, "section outside the file");
	}
	return 0;
}

static const char *elf_secname(const struct elf_file *ef, unsigned idx)
{
	if (idx >= ef->eh->e_shnum)
		return "";
	return ef->shstr + ef->sh[idx].sh_name;
}

static int strv_push(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	if (!(nv[*n] = strdup(s)))
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* obj_note_symbol(ef, obj, sym, name): record one symbol if modpost cares about it. */
static int obj_note_symbol(const struct elf_file *ef, struct mp_object *obj,
			   const Elf64_Sym *sym, const char *name)
{
	const char *sec;
	bool *ng;

	if (sym->st_shndx == SHN_UNDEF) {
		if (ELF64_ST_BIND(sym->st_info) == STB_LOCAL || !*name ||
		    !strncmp(name, "__crc_", 6))
			return 0;
		ng = realloc(obj->undef_weak, (obj->n_undef + 1) * sizeof(*ng));
		if (!ng)
			return -ENOMEM;
		obj->undef_weak = ng;
		ng[obj->n_undef] = ELF64_ST_BIND(sym->st_info) == STB_WEAK;
		return strv_push(&obj->undef, &obj->n_undef, name);
	}
	if (!strcmp(name, "init_module"))
		obj->has_init = true;
	else if (!strcmp(name, "cleanup_module"))
		obj->has_exit = true;
	if (strncmp(name, "__ksymtab_", 10) || sym->st_shndx >= SHN_LORESERVE)
		return 0;
	sec = elf_secname(ef, sym->st_shndx);
	if (strcmp(sec, "__ksymtab") && strcmp(sec, "__ksymtab_gpl"))
		return 0;
	ng = realloc(obj->export_gpl, (obj->n_exports + 1) * sizeof(*ng));
	if (!ng)
		return -ENOMEM;
	obj->export_gpl = ng;
	ng[obj->n_exports] = !strcmp(sec, "__ksymtab_gpl");
	return strv_push(&obj->exports, &obj->n_exports, name + 10);
}

static int obj_read_symbols(const struct elf_file *ef, struct mp_object *obj)
{
	for (unsigned i = 0; i < ef->eh->e_shnum; i++) {
		const Elf64_Shdr *st = &ef->sh[i], *ss;
		const Elf64_Sym *syms;
		const char *str;

		if (st->sh_type != SHT_SYMTAB)
			continue;
		if (st->sh_link >= ef->eh->e_shnum)
			return elf_fail(ef, "symbol table links to no string table");
		ss = &ef->sh[st->sh_link];
		if (ss->sh_size == 0 || ef->buf[ss->sh_offset + ss->sh_size - 1])
			return elf_fail(ef, "string table not NUL-terminated");
		syms = (const Elf64_Sym *)(ef->buf + st->sh_offset);
		str = (const char *)ef->buf + ss->sh_offset;
		for (size_t k = 1; k < st->sh_size / sizeof(*syms); k++) {
			int rc;

			if (syms[k].st_name >= ss->sh_size)
				return elf_fail(ef, "symbol name out of bounds");
			rc = obj_note_symbol(ef, obj, &syms[k], str + syms[k].st_name);
			if (rc)
				return rc;
		}
		return 0;
	}
	return elf_fail(ef, "no symbol table");
}

/* obj_read_license(ef, obj): the first license= string of .modinfo. */
static int obj_read_license(const struct elf_file *ef, struct mp_object *obj)
{
	for (unsigned i = 0; i < ef->eh->e_shnum; i++) {
		const char *p, *end;

		if (strcmp(elf_secname(ef, i), ".modinfo") || ef->sh[i].sh_type == SHT_NOBITS)
			continue;
		p = (const char *)ef->buf + ef->sh[i].sh_offset;
		end = p + ef->sh[i].sh_size;
		for (; p < end; p += strnlen(p, (size_t)(end - p)) + 1) {
			if ((size_t)(end - p) > 8 && !strncmp(p, "license=", 8)) {
				obj->license = strndup(p + 8, (size_t)(end - p) - 8);
				return obj->license ? 0 : -ENOMEM;
			}
		}
	}
	return 0;
}

static char *modname_of(const char *path)
{
	const char *base = strrchr(path, '/');
	char *name, *dot;

	name = strdup(base ? base + 1 : path);
	if (!name)
		return NULL;
	if ((dot = strrchr(name, '.')))
		*dot = '\0';
	for (char *c = name; *c; c++)
		if (*c == '-')
			*c = '_';
	return name;
}

int mp_object_read(const char *path, struct mp_object *obj)
{
	struct elf_file ef = { 0 };
	int rc;

	memset(obj, 0, sizeof(*obj));
	obj->path = strdup(path);
	obj->modname = modname_of(path);
	if (!obj->path || !obj->modname)
		return -ENOMEM;
	rc = elf_load(&ef, path);
	if (!rc)
		rc = elf_check(&ef);
	if (!rc)
		rc = obj_read_symbols(&ef, obj);
	if (!rc)
		rc = obj_read_license(&ef, obj);
	free(ef.buf);
	return rc;
}

void mp_object_free(struct mp_object *obj)
{
	for (size_t i = 0; i < obj->n_undef; i++)
		free(obj->undef[i]);
	for (size_t i = 0; i < obj->n_exports; i++)
		free(obj->exports[i]);
	free(obj->undef);
	free(obj->undef_weak);
	free(obj->exports);
	free(obj->export_gpl);
	free(obj->license);
	free(obj->modname);
	free(obj->path);
	memset(obj, 0, sizeof(*obj));
}
