/* kernel_info.c: read vermagic and exported symbols' CRCs from the booted kernel's ELF file. */
#include <modvisor/elf64.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/sha.h>

#include <modvisor/abi/module.h>
#include "kernel_info.h"
#include "measure.h"

struct kelf {
	const uint8_t *p;
	size_t len;
	const Elf64_Shdr *sh;
	unsigned shnum;
	const char *shstr;
	size_t shstrlen;
};

static int kinfo_fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int kinfo_fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s: ", path);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

/* Bytes [off, off+size) inside the file, overflow-safe. */
static bool kinfo_inside(const struct kelf *k, uint64_t off, uint64_t size)
{
	uint64_t end;

	return !__builtin_add_overflow(off, size, &end) && end <= k->len;
}

static const char *kinfo_elf_open(struct kelf *k)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)k->p;
	const Elf64_Shdr *ss;

	if (k->len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64)
		return "not an ELF64 x86-64 file";
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 ||
	    !kinfo_inside(k, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)) ||
	    eh->e_shoff % 8 != 0)
		return "section header table outside the file";
	k->sh = (const Elf64_Shdr *)(k->p + eh->e_shoff);
	k->shnum = eh->e_shnum;
	if (eh->e_shstrndx >= k->shnum)
		return "e_shstrndx out of range";
	ss = &k->sh[eh->e_shstrndx];
	if (!kinfo_inside(k, ss->sh_offset, ss->sh_size) || ss->sh_size == 0 ||
	    k->p[ss->sh_offset + ss->sh_size - 1] != '\0')
		return "section name table outside the file or not NUL-terminated";
	k->shstr = (const char *)k->p + ss->sh_offset;
	k->shstrlen = ss->sh_size;
	return NULL;
}

/* The section named name with its bytes inside the file, or NULL. */
static const Elf64_Shdr *kinfo_section(const struct kelf *k, const char *name)
{
	for (unsigned i = 1; i < k->shnum; i++) {
		const Elf64_Shdr *s = &k->sh[i];
		if (s->sh_name < k->shstrlen && strcmp(k->shstr + s->sh_name, name) == 0 &&
		    s->sh_type != SHT_NOBITS && kinfo_inside(k, s->sh_offset, s->sh_size))
			return s;
	}
	return NULL;
}

/* The NUL-terminated string at virtual address va, inside one allocated section. */
static const char *kinfo_string_at(const struct kelf *k, uint64_t va)
{
	for (unsigned i = 1; i < k->shnum; i++) {
		const Elf64_Shdr *s = &k->sh[i];
		if (!(s->sh_flags & SHF_ALLOC) || s->sh_type == SHT_NOBITS || va < s->sh_addr ||
		    va - s->sh_addr >= s->sh_size || !kinfo_inside(k, s->sh_offset, s->sh_size))
			continue;
		const char *str = (const char *)k->p + s->sh_offset + (va - s->sh_addr);
		size_t room = s->sh_size - (va - s->sh_addr);
		return memchr(str, '\0', room) ? str : NULL;
	}
	return NULL;
}

/* Append every struct mv_kernel_symbol of one section. */
static const char *kinfo_add_ksymtab(const struct kelf *k, const Elf64_Shdr *s,
				     struct kernel_syms *ks)
{
	size_t n = s->sh_size / sizeof(struct mv_kernel_symbol);
	struct ksym_crc *v;

	if (s->sh_size % sizeof(struct mv_kernel_symbol) != 0)
		return "size is not a multiple of struct mv_kernel_symbol";
	v = realloc(ks->syms, (ks->nsyms + n + 1) * sizeof(*v));
	if (!v)
		return "out of memory";
	ks->syms = v;
	for (size_t i = 0; i < n; i++) {
		struct mv_kernel_symbol sym;
		memcpy(&sym, k->p + s->sh_offset + i * sizeof(sym), sizeof(sym));
		const char *name = kinfo_string_at(k, sym.name);
		if (!name)
			return "a symbol's name points outside the kernel's sections";
		if (!(v[ks->nsyms].name = strdup(name)))
			return "out of memory";
		v[ks->nsyms].value = sym.value;
		v[ks->nsyms++].crc = sym.crc;
		ks->has_crcs |= sym.crc != 0;
	}
	return NULL;
}

static int kinfo_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ksym_crc *)a)->name, ((const struct ksym_crc *)b)->name);
}

/* Read vermagic and both symbol tables out of a mapped kernel. */
static int kinfo_parse(struct kelf *k, const char *path, struct kernel_syms *ks,
		       char *err, size_t errlen)
{
	static const char *const tables[] = { "__ksymtab", "__ksymtab_gpl" };
	const char *why = kinfo_elf_open(k);
	const Elf64_Shdr *s;

	if (why)
		return kinfo_fail(err, errlen, path, "%s", why);
	s = kinfo_section(k, ".mv_vermagic");
	if (s) {
		const char *vm = (const char *)k->p + s->sh_offset;
		size_t n = strnlen(vm, s->sh_size);
		if (n == s->sh_size || n >= sizeof(ks->vermagic))
			return kinfo_fail(err, errlen, path, ".mv_vermagic: not a NUL-terminated string "
					  "of fewer than %zu bytes", sizeof(ks->vermagic));
		memcpy(ks->vermagic, vm, n + 1);
	}
	for (int t = 0; t < 2; t++) {
		if (!(s = kinfo_section(k, tables[t])))
			continue;
		if ((why = kinfo_add_ksymtab(k, s, ks)) != NULL)
			return kinfo_fail(err, errlen, path, "%s: %s", tables[t], why);
	}
	if (ks->nsyms)
		qsort(ks->syms, ks->nsyms, sizeof(ks->syms[0]), kinfo_cmp);
	return 0;
}

int kernel_syms_read(const char *path, struct kernel_syms *ks, char *err, size_t errlen)
{
	struct kelf k = { 0 };
	void *buf;
	int ret;

	memset(ks, 0, sizeof(*ks));
	ret = measure_map_file(path, &buf, &k.len);
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	k.p = buf;
	SHA256(k.p, k.len, ks->sha256);
	ret = kinfo_parse(&k, path, ks, err, errlen);
	measure_unmap_file(buf, k.len);
	if (ret < 0)
		kernel_syms_free(ks);
	return ret;
}

/* The export named name, or NULL. */
static const struct ksym_crc *kinfo_find(const struct kernel_syms *ks, const char *name)
{
	struct ksym_crc key = { .name = (char *)name };

	if (!ks->nsyms)
		return NULL;
	return bsearch(&key, ks->syms, ks->nsyms, sizeof(key), kinfo_cmp);
}

int kernel_syms_crc(const struct kernel_syms *ks, const char *name, uint32_t *crc)
{
	const struct ksym_crc *hit = kinfo_find(ks, name);

	if (!hit)
		return -ENOENT;
	*crc = hit->crc;
	return 0;
}

int kernel_syms_value(const struct kernel_syms *ks, const char *name, uint64_t *value)
{
	const struct ksym_crc *hit = kinfo_find(ks, name);

	if (!hit)
		return -ENOENT;
	*value = hit->value;
	return 0;
}

void kernel_syms_free(struct kernel_syms *ks)
{
	for (size_t i = 0; i < ks->nsyms; i++)
		free(ks->syms[i].name);
	free(ks->syms);
	ks->syms = NULL;
	ks->nsyms = 0;
}
